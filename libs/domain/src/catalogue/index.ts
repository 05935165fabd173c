export * from './administrative-units.js';
export * from './program-catalogue.js';
