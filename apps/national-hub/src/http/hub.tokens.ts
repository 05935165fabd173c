/** Nest injection tokens for what startNationalHub hands the HTTP module. */
export const HUB_LOGGER = Symbol('HubLogger');
export const HUB_QUERIES = Symbol('HubQueries');
export const HUB_READINESS = Symbol('HubReadiness');
export const HUB_METRICS = Symbol('HubMetrics');
export const HUB_ACCESS_TOKENS = Symbol('HubAccessTokens');
