import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createLedgerClient, type LedgerClient } from '@ledger/api-client';
import { minPosition } from './api.js';

export type Role = 'operator' | 'auditor' | 'reporter' | 'admin';

/** Who signed in, as their token says. The console reads it only to decide what to offer: the API decides what is allowed. */
export interface SignedIn {
  readonly token: string;
  readonly userId: string;
  readonly role: Role;
  readonly units: readonly string[];
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

const STORAGE_KEY = 'ledger-console.token';

/** The claims of a bearer token, unverified (the API verifies it on every call); undefined when it is not a token of this ledger's shape. */
export function readToken(token: string): SignedIn | undefined {
  const payload = token.trim().split('.')[1];
  if (!payload) return undefined;
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; units?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return undefined;
    if (!['operator', 'auditor', 'reporter', 'admin'].includes(claims.role as string)) return undefined;
    if (!Array.isArray(claims.units) || !claims.units.every((unit) => typeof unit === 'string')) return undefined;
    return { token: token.trim(), userId: claims.sub, role: claims.role as Role, units: claims.units as string[], expiresAt: claims.exp };
  } catch {
    return undefined;
  }
}

function storedSession(): SignedIn | undefined {
  const token = sessionStorage.getItem(STORAGE_KEY);
  const session = token ? readToken(token) : undefined;
  return session && session.expiresAt * 1000 > Date.now() ? session : undefined;
}

interface SessionContextValue {
  readonly session: SignedIn | undefined;
  /** Why the last session ended, when the API refused its token. */
  readonly ended: 'expired' | undefined;
  signIn(token: string): SignedIn | undefined;
  signOut(reason?: 'expired'): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

/** The token lives in the tab's session storage: closing the tab signs out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SignedIn | undefined>(storedSession);
  const [ended, setEnded] = useState<'expired' | undefined>();
  const signIn = useCallback((token: string) => {
    const next = readToken(token);
    if (!next) return undefined;
    sessionStorage.setItem(STORAGE_KEY, next.token);
    setEnded(undefined);
    setSession(next);
    return next;
  }, []);
  const signOut = useCallback((reason?: 'expired') => {
    sessionStorage.removeItem(STORAGE_KEY);
    setEnded(reason);
    setSession(undefined);
  }, []);
  const value = useMemo(() => ({ session, ended, signIn, signOut }), [session, ended, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only under a route that requires a session. */
export function useSignedIn(): SignedIn {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}

/** The typed client of the API (generated from its OpenAPI document), with the signed-in user's token; a 401 ends the session. */
export function useLedger(): LedgerClient {
  const { session, signOut } = useSession();
  return useMemo(() => {
    const client = createLedgerClient(window.location.origin, session?.token);
    client.use({
      onRequest({ request }) {
        const position = minPosition();
        const isRead = request.method === 'GET' || new URL(request.url).pathname === '/v1/beneficiaries/search';
        if (position && isRead) request.headers.set('X-Min-Position', position);
        return undefined;
      },
      onResponse({ response }) {
        if (response.status === 401 && session) signOut('expired');
        return undefined;
      },
    });
    return client;
  }, [session, signOut]);
}

/** What each role is offered; the API refuses the rest anyway (the authorization matrix). */
export function mayAct(session: SignedIn): boolean {
  return session.role === 'operator' || session.role === 'admin';
}
export function mayAudit(session: SignedIn): boolean {
  return session.role === 'auditor' || session.role === 'admin';
}
export function mayReadReports(session: SignedIn): boolean {
  return session.role === 'auditor' || session.role === 'reporter' || session.role === 'admin';
}
/** Payroll runs, imports and death reports are read by operators and auditors, not by reporters. */
export function mayReadOperations(session: SignedIn): boolean {
  return session.role !== 'reporter';
}
/** The whole log and the replay check need an auditor of every unit. */
export function spansEveryUnit(session: SignedIn): boolean {
  return session.role === 'admin' || session.units.includes('*');
}
