"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.quoted = quoted;
exports.convertUnits = convertUnits;
exports.phrasebook = phrasebook;
exports.proofread = proofread;
exports.counterCommand = counterCommand;
exports.runCommand = runCommand;
const node_child_process_1 = require("node:child_process");
const node_readline_1 = require("node:readline");
// The demo's agents are scripted: each "skill" below is a small deterministic computation on the task text, so the
// collaboration is real (messages, tasks, sub-teams) while the work needs no model and no network.
/** The first "quoted" passage of a task text, or the whole text. */
function quoted(text) {
    return /"([^"]+)"/.exec(text)?.[1] ?? text;
}
const UNITS = [
    { re: /^(miles?|mi)$/i, name: 'miles', to: 'km', convert: (x) => x * 1.609344 },
    { re: /^(kilomet(er|re)s?|km)$/i, name: 'km', to: 'miles', convert: (x) => x / 1.609344 },
    { re: /^(pounds?|lbs?)$/i, name: 'lb', to: 'kg', convert: (x) => x * 0.45359237 },
    { re: /^(kilograms?|kg)$/i, name: 'kg', to: 'lb', convert: (x) => x / 0.45359237 },
    { re: /^(°?f|fahrenheit)$/i, name: '°F', to: '°C', convert: (x) => ((x - 32) * 5) / 9 },
    { re: /^(°?c|celsius)$/i, name: '°C', to: '°F', convert: (x) => (x * 9) / 5 + 32 },
];
/**
 * Converts the first "<number> <unit>" of a text into the other unit of its pair.
 * @example
 * convertUnits('Convert 390 miles into kilometres') // '390 miles = 627.6 km'
 */
function convertUnits(text) {
    const m = /(-?\d+(?:\.\d+)?)\s*(°?[a-z]+)/i.exec(text.replace(/,/g, ''));
    const unit = m && UNITS.find((u) => u.re.test(m[2]));
    if (!m || !unit)
        throw new Error('no "<number> <unit>" that I know in the task');
    const value = Number(m[1]);
    return `${value} ${unit.name} = ${unit.convert(value).toFixed(1)} ${unit.to}`;
}
// A phrasebook, not a translator: longest known phrase first, unknown words kept as they are.
const PHRASEBOOK = {
    'welcome to madrid': 'bienvenidos a madrid', 'dear friends': 'queridos amigos', 'see you at the hotel': 'nos vemos en el hotel',
    'at eight': 'a las ocho', 'good morning': 'buenos días', 'thank you': 'gracias', 'the museum': 'el museo', 'tonight': 'esta noche',
};
const LONGEST = Math.max(...Object.keys(PHRASEBOOK).map((k) => k.split(' ').length));
/**
 * A word-for-phrase English → Spanish draft from a small phrasebook (lower case, as a rough draft would be).
 * @example
 * phrasebook('welcome to madrid, dear friends!') // 'bienvenidos a madrid, queridos amigos!'
 */
function phrasebook(text) {
    const tokens = text.toLowerCase().match(/[\p{L}']+|[^\s\p{L}]/gu) ?? [];
    const out = [];
    for (let i = 0; i < tokens.length;) {
        let hit = 0;
        for (let n = Math.min(LONGEST, tokens.length - i); n > 0 && !hit; n--)
            if (PHRASEBOOK[tokens.slice(i, i + n).join(' ')])
                hit = n;
        out.push(hit ? PHRASEBOOK[tokens.slice(i, i + hit).join(' ')] : tokens[i]);
        i += hit || 1;
    }
    return out.join(' ').replace(/\s+([,.!?;:])/g, '$1');
}
const PROPER_NOUNS = ['madrid', 'barcelona', 'prado', 'retiro'];
/**
 * Proofreads Spanish punctuation and capitals: sentence starts, proper nouns, `¡…!` / `¿…?`, a final full stop.
 * @example
 * proofread('bienvenidos a madrid, queridos amigos! nos vemos') // { text: '¡Bienvenidos a Madrid, queridos amigos! Nos vemos.', fixes: 5 }
 */
function proofread(text) {
    let fixes = 0;
    const sentences = text.trim().match(/[^.!?]+[.!?]*/g) ?? [];
    const fixed = sentences.map((raw) => {
        let s = raw.trim();
        for (const noun of PROPER_NOUNS) {
            s = s.replace(new RegExp(`\\b${noun}\\b`, 'g'), () => (fixes++, noun[0].toUpperCase() + noun.slice(1)));
        }
        const fix = (next) => {
            if (next !== s)
                fixes++;
            s = next;
        };
        if (!/[.!?]$/.test(s))
            fix(`${s}.`);
        const opener = s.endsWith('!') ? '¡' : s.endsWith('?') ? '¿' : '';
        if (opener && !s.startsWith(opener))
            fix(opener + s);
        const at = opener ? 1 : 0;
        fix(s.slice(0, at) + s.charAt(at).toUpperCase() + s.slice(at + 1));
        return s;
    });
    return { text: fixed.join(' '), fixes };
}
// The command-line agent's program: plain text statistics, one line per figure, with the text as argv[1].
const COUNTER = [
    "const t = process.argv[1] || '';",
    'const words = t.split(/\\s+/).filter(Boolean);',
    "console.log('words: ' + words.length);",
    "console.log('characters: ' + t.length);",
    "console.log('sentences: ' + (t.match(/[.!?](\\s|$)/g) || []).length);",
    "console.log('longest word: ' + words.map((w) => w.replace(/[^\\p{L}]/gu, '')).reduce((a, b) => (b.length > a.length ? b : a), ''));",
].join('\n');
/** The fixed command the command-line agent runs: `node -e <program> -- <text>` (an argument vector, never a shell). */
function counterCommand(text) {
    return { file: process.execPath, args: ['-e', COUNTER, '--', text] };
}
/**
 * Runs a command without a shell, calling `onLine` for each line of its stdout; resolves to the whole stdout, or
 * throws on a non-zero exit or after `timeoutMs`.
 */
function runCommand(cmd, onLine, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
        const lines = [];
        let stderr = '';
        let pending = Promise.resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        (0, node_readline_1.createInterface)({ input: child.stdout }).on('line', (line) => {
            lines.push(line);
            pending = pending.then(() => onLine(line)).catch(() => undefined);
        });
        child.stderr.on('data', (d) => (stderr += d));
        child.once('error', (e) => (clearTimeout(timer), reject(e)));
        child.once('close', (code, signal) => {
            clearTimeout(timer);
            void pending.then(() => (code === 0 ? resolve(lines.join('\n')) : reject(new Error(`command exited with ${code ?? signal}: ${stderr.trim().slice(0, 200)}`))));
        });
    });
}
//# sourceMappingURL=work.js.map