"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.termOf = termOf;
exports.analyze = analyze;
exports.analyzerFingerprint = analyzerFingerprint;
const node_crypto_1 = require("node:crypto");
const porter_stemmer_1 = require("./porter-stemmer");
// The SMART system's general-purpose list, plus a few verbs and fillers just as generic in requests ("put
// together", "make me"). Such words match cards by accident, and their WordNet senses number in the dozens.
// Content words that agent cards use in earnest (value, name, new, changes, example) are left out of it.
const STOP_WORDS = new Set(`a able about above according accordingly across actually after afterwards again against all allow
  allows almost alone along already also although always am among amongst an and another any anybody
  anyhow anyone anything anyway anyways anywhere apart appear appreciate appropriate are around as
  aside ask asking associated at available away awfully be became because become becomes becoming been
  before beforehand behind being believe below beside besides best better between beyond both brief
  but by came can cannot cant cause causes certain certainly clearly co come comes concerning
  consequently consider considering contain containing contains corresponding could course currently
  definitely despite did different do does doing done down downwards during each eg eight either else
  elsewhere enough entirely especially et etc even ever every everybody everyone everything everywhere
  ex exactly except far few fifth first five followed following follows for former formerly forth four
  from further furthermore get gets getting given gives go goes going gone got gotten greetings had
  happens hardly has have having he hello help hence her here hereafter hereby herein hereupon hers
  herself hi him himself his hither hopefully how howbeit however ie if ignored immediate in inasmuch
  inc indeed indicate indicated indicates inner insofar instead into inward is it its itself just keep
  keeps kept know knows known last lately later latter latterly least less lest let like liked likely
  little look looking looks ltd mainly many may maybe me mean meanwhile merely might more moreover
  most mostly much must my myself namely nd near nearly necessary need needs neither never
  nevertheless next nine no nobody non none noone nor normally not nothing novel now nowhere obviously
  of off often oh ok okay old on once one ones only onto or other others otherwise ought our ours
  ourselves out outside over overall own particular particularly per perhaps placed please plus
  possible presumably probably quite qv rather rd re really reasonably regarding regardless regards
  relatively respectively right said same saw say saying says second secondly see seeing seem seemed
  seeming seems seen self selves sensible sent serious seriously seven several shall she should since
  six so some somebody somehow someone something sometime sometimes somewhat somewhere soon sorry
  specified specify specifying still sub such sup sure take taken tell tends th than thank thanks
  thanx that thats the their theirs them themselves then thence there thereafter thereby therefore
  therein theres thereupon these they think third this thorough thoroughly those though three through
  throughout thru thus to together too took toward towards tried tries truly try trying twice two un
  under unfortunately unless unlikely until unto up upon us use used useful uses using usually various
  very via viz vs want wants was way we welcome well went were what whatever when whence whenever
  where whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever
  whole whom whose why will willing wish with within without wonder would yes yet you your yours
  yourself yourselves zero put puts make makes made making give gave giving bring brings thing things
  stuff lot lots hey yeah im ive id ill youre youve dont doesnt didnt isnt arent wasnt werent wont
  cant couldnt shouldnt wouldnt whats thats theres heres`.split(/\s+/));
// Enough for a registry's and its queries' vocabulary; WordNet parsing interns its words itself (WordTable), so it
// gains nothing from a larger cache, and a cache left holding its 75,000 words was heap for every major GC to mark.
const TERM_CACHE_LIMIT = 20_000;
// Word → term ('' for a dropped word). Cards and queries repeat the same few thousand words.
const termCache = new Map();
/** One lowercased word to its index term, or '' when it is a stop word, a bare number or a single letter. */
function termOf(word) {
    let term = termCache.get(word);
    if (term === undefined) {
        if (termCache.size >= TERM_CACHE_LIMIT)
            termCache.clear();
        term = word.length < 2 || /^\d+$/.test(word) || STOP_WORDS.has(word) ? '' : (0, porter_stemmer_1.porterStem)(word);
        termCache.set(word, term);
    }
    return term;
}
/**
 * Text to index terms: lowercase, split on anything not a letter or digit (so `translate_text` and
 * `speech-to-text` become words), drop possessives and apostrophes, stop words, single letters and bare
 * numbers (quantities in requests say nothing about which agent is wanted), then stem.
 */
function analyze(text) {
    const out = [];
    const words = text
        .toLowerCase()
        .replace(/[\u2018\u2019']s\b/g, '')
        .replace(/[\u2018\u2019']/g, '')
        .split(/[^\p{L}\p{N}]+/u);
    for (const word of words) {
        const term = termOf(word);
        if (term)
            out.push(term);
    }
    return out;
}
/** Changes whenever analysis would: derived data keyed on terms (the WordNet cache) must not outlive it. */
function analyzerFingerprint() {
    const probe = 'generalizations running happily cats relational conditioning'.split(' ').map(porter_stemmer_1.porterStem);
    return (0, node_crypto_1.createHash)('sha1')
        .update([...STOP_WORDS].sort().join(' '))
        .update(probe.join(' '))
        .digest('hex')
        .slice(0, 16);
}
//# sourceMappingURL=analyzer.js.map