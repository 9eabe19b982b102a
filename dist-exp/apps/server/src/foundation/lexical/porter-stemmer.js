"use strict";
// Porter (1980) stemmer, after Martin Porter's reference JavaScript port. Hand-written because no
// maintained stemmer is installed; it is small, has no state and its output only has to agree with itself
// (documents, queries and the WordNet map all go through the same function).
Object.defineProperty(exports, "__esModule", { value: true });
exports.porterStem = porterStem;
const STEP2 = {
    ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
    entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
    iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const STEP3 = {
    icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '',
};
const c = '[^aeiou]';
const v = '[aeiouy]';
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
const M_GT0 = new RegExp(`^(${C})?${V}${C}`);
const M_EQ1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const M_GT1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?${v}`);
const CVC = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const DOUBLE = /([^aeiouylsz])\1$/;
const STEP2_RE = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_RE = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_RE = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const STEP4_ION = /^(.+?)(s|t)(ion)$/;
function porterStem(word) {
    if (word.length < 3)
        return word;
    let w = word;
    const leadingY = w[0] === 'y';
    if (leadingY)
        w = 'Y' + w.slice(1);
    // Step 1a: plurals.
    if (/^(.+?)(ss|i)es$/.test(w))
        w = w.replace(/^(.+?)(ss|i)es$/, '$1$2');
    else if (/^(.+?)([^s])s$/.test(w))
        w = w.replace(/^(.+?)([^s])s$/, '$1$2');
    // Step 1b: -eed, -ed, -ing.
    let m = /^(.+?)eed$/.exec(w);
    if (m) {
        if (M_GT0.test(m[1]))
            w = w.slice(0, -1);
    }
    else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(m[1])) {
        w = m[1];
        if (/(at|bl|iz)$/.test(w))
            w += 'e';
        else if (DOUBLE.test(w))
            w = w.slice(0, -1);
        else if (CVC.test(w))
            w += 'e';
    }
    // Step 1c: y -> i after a vowel-bearing stem.
    if ((m = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(m[1]))
        w = m[1] + 'i';
    if ((m = STEP2_RE.exec(w)) && M_GT0.test(m[1]))
        w = m[1] + STEP2[m[2]];
    if ((m = STEP3_RE.exec(w)) && M_GT0.test(m[1]))
        w = m[1] + STEP3[m[2]];
    if ((m = STEP4_RE.exec(w))) {
        if (M_GT1.test(m[1]))
            w = m[1];
    }
    else if ((m = STEP4_ION.exec(w)) && M_GT1.test(m[1] + m[2])) {
        w = m[1] + m[2];
    }
    // Step 5: final -e and -ll.
    if ((m = /^(.+?)e$/.exec(w))) {
        const stem = m[1];
        if (M_GT1.test(stem) || (M_EQ1.test(stem) && !CVC.test(stem)))
            w = stem;
    }
    if (/ll$/.test(w) && M_GT1.test(w))
        w = w.slice(0, -1);
    return leadingY ? 'y' + w.slice(1) : w;
}
//# sourceMappingURL=porter-stemmer.js.map