import type { AccessTokens, Actor } from '../platform/index.js';
import { DEMO_TOKEN_HOLDERS, DEMO_TOKEN_TTL } from '../demo/demo-banner.js';

/** Where the console's sign-in screen finds the demo users: a JSON file by its name, so that where it is not served (production) it is a missing file, a 404. */
export const DEMO_USERS_PATH = '/console/demo-users.json';

/** The people the demo banner hands tokens to, in its order: both operators (maker-checker can be tried), then one of each other role. */
export const DEMO_USERS: readonly Actor[] = DEMO_TOKEN_HOLDERS.map(({ actor }) => actor);

export interface DemoUser extends Actor {
  /** A bearer token for this user, living as long as the banner's. */
  readonly token: string;
}

/**
 * Outside production, anyone who can reach the API may sign in as a demo user, exactly as anyone
 * who can read the terminal may paste the banner's tokens: the demo has no secrets to keep. A token
 * is minted per request, so a console left open overnight signs in afresh.
 */
export async function demoUsers(tokens: AccessTokens): Promise<{ users: DemoUser[] }> {
  return { users: await Promise.all(DEMO_USERS.map(async (user) => ({ ...user, token: await tokens.mint(user, { ttl: DEMO_TOKEN_TTL }) }))) };
}
