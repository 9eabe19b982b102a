import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AgentCard } from '@ioa/client';

/** The goal the demo submits; the server picks its coordinator by meaning (the travel planner). */
export const GOAL = 'Plan a cheap weekend trip to Madrid for four friends';
/** The agent the goal goes to when the demo names it (against a running server with other agents). */
export const COORDINATOR = 'travel-planner';

/** What the coordinator asks for, in words: the server resolves each need to an agent by meaning. */
export const NEEDS = {
  distance: 'convert miles into kilometres',
  words: 'count the words in a text',
  spanish: 'translate my messages into Spanish',
} as const;
export type NeedKey = keyof typeof NEEDS;

/** The translator's sub-team need. */
export const PROOFREAD_NEED = 'check grammar and spelling of a text';

export const TASKS: Record<NeedKey, { task_desc: string; task_abstract: string }> = {
  distance: { task_desc: 'Convert "390 miles" into kilometres: the drive from Barcelona to Madrid.', task_abstract: 'driving distance in km' },
  words: {
    task_desc: 'Count the words of the itinerary: "Day 1: drive from Barcelona, walk in the Retiro park and eat tapas in La Latina. '
      + 'Day 2: the Prado museum in the morning, the Royal Palace after lunch and flamenco at night."',
    task_abstract: 'itinerary word count',
  },
  spanish: { task_desc: 'Translate into Spanish: "welcome to madrid, dear friends! see you at the hotel at eight"', task_abstract: 'welcome note in Spanish' },
};

/** The join of the demo's task graph: the coordinator puts the two parallel results together (they arrive as its inputs). */
export const BRIEF = { task_desc: 'Put the driving distance and the itinerary\'s word count together into one line of the plan.', task_abstract: 'trip brief' };

/** The person's decision point of the demo's graph: approve the brief before the welcome note is written. */
export const SIGN_OFF = { task_desc: 'Check the trip brief (distance and itinerary) before the team writes the welcome note.', task_abstract: 'sign off the trip brief' };

/** Fixture cards used for the population; the first is the expected coordinator, the next three its team. */
const FIXTURE_NAMES = [
  'travel-planner', 'unit-converter', 'spanish-translator', 'grammar-checker', 'translator', 'subtitle-translator', 'currency-exchange',
  'weather-forecaster', 'flight-tracker', 'restaurant-finder', 'language-tutor', 'calendar-scheduler', 'email-drafter', 'math-solver',
  'pdf-summarizer', 'news-summarizer', 'recipe-planner', 'spreadsheet-analyst', 'essay-grader', 'meeting-minutes',
];

/** The command-line agent: a fixed program run on the task text (see `counterCommand`). */
export const WORD_COUNTER: AgentCard = {
  name: 'word-counter',
  description: 'Counts the words, characters and sentences of a text by running a small command-line program on it.',
  skills: ['text', 'statistics', 'command-line'],
  capabilities: [{ name: 'count_words', description: 'Count the words, characters and sentences in a text.' }],
};

/** What each agent says when it holds the turn (scripted lines; the default for the rest). */
export const LINES: Record<string, string> = {
  'unit-converter': 'Ready: I convert miles/km, lb/kg and °F/°C. Send me a number with its unit.',
  'word-counter': 'Ready: I run a small command-line counter over any text you send me.',
  'spanish-translator': 'Ready: I draft with my phrasebook and will have a proofreader check it.',
  'grammar-checker': 'Send the draft: I fix capitals, proper nouns and Spanish punctuation.',
};

/** The population's cards, read from the repository's fixtures (found from the source tree or the build). */
export function population(): AgentCard[] {
  const file = findUp('test/fixtures/agents.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as AgentCard[];
  const cards = FIXTURE_NAMES.map((name) => {
    const card = all.find((a) => a.name === name);
    if (!card) throw new Error(`${file} has no agent named ${name}`);
    return card;
  });
  return [...cards, WORD_COUNTER];
}

function findUp(relative: string, from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, relative))) return join(dir, relative);
  throw new Error(`${relative} not found above ${from}`);
}
