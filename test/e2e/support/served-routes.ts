import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Every route the HTTP server answers, as `METHOD /path/{param}`, read from Fastify's own route
 * tree rather than from Nest's controllers: a route registered any other way (Swagger, a plugin)
 * is served too, so it must be listed too. The HEAD twin Fastify adds to each GET is left out.
 */
export function servedRoutes(app: NestFastifyApplication): string[] {
  // With commonPrefix off each line is a whole path segment, indented four columns per level:
  //   ├── /v1/payroll-runs (POST)
  //   │   └── /:runId (GET, HEAD)
  const tree = app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const pathAtDepth: string[] = [];
  const routes = new Set<string>();
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const node = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    // An unreadable line could hide a route: refuse it rather than skip it.
    if (!node) throw new Error(`Cannot read this line of Fastify's route tree: ${JSON.stringify(line)}`);
    const [, indent = '', segment = '', methods] = node;
    const depth = indent.length / 4;
    pathAtDepth.length = depth;
    const path = (pathAtDepth[depth - 1] ?? '') + segment;
    pathAtDepth[depth] = path;
    for (const method of methods?.split(', ') ?? []) {
      if (method !== 'HEAD') routes.add(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return [...routes].sort();
}

/** `POST /v1/payroll-runs/{runId}/send` → `POST /v1/payroll-runs/{}/send`: compares routes whatever their parameters are called. */
export function routeShape(route: string): string {
  return route.replace(/\{[^}]*\}/g, '{}');
}
