export const READ_MODEL_STORE = Symbol('ReadModelStore');
export const PROJECTOR = Symbol('Projector');
export const READ_MODEL_QUERIES = Symbol('ReadModelQueries');
