export const ACCESS_LOG = Symbol('AccessLog');
