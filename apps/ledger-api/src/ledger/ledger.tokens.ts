/** Injection tokens of the command side. */
export const CATALOGUES = Symbol('Catalogues');
