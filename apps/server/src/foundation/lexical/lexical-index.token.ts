export const LEXICAL_INDEX = Symbol('LEXICAL_INDEX');
