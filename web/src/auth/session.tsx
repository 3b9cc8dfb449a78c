/**
 * Who is signed in: the token (sessionStorage) and the principal `GET /api/v1/me` says it belongs to. Pages and
 * buttons ask `useCan()` whether the principal's role may call an operation, from the roles the routes declare.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, networkProblem, whenUnauthenticated, type Problem } from '../api/client';
import { operationRoles, type Operation } from '../api/roles';
import type { paths } from '../api/schema';
import { forgetSignedOutReason, forgetToken, readSignedOutReason, readToken, storeSignedOutReason, storeToken } from './token';

export type Me = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];

/** `reason`: why the console signed the user out by itself (a token revoked or expired while in use). */
type SessionState = { status: 'loading' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; me: Me };

export const REVOKED_REASON = '您的访问令牌已被撤销或已失效，系统已自动退出。请向服务中心索取新的令牌后重新登录。';

interface Session {
  state: SessionState;
  /** Checks the token with the API and keeps it for this tab; a problem when it is refused. */
  signIn(token: string): Promise<Problem | undefined>;
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

async function fetchMe(): Promise<{ me?: Me; problem?: Problem }> {
  try {
    const { data, error } = await api.GET('/api/v1/me');
    return data ? { me: data } : { problem: error };
  } catch (failure) {
    return { problem: networkProblem(failure) };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() => (readToken() ? { status: 'loading' } : { status: 'signed-out', reason: readSignedOutReason() }));

  const signOut = useCallback(() => {
    forgetToken();
    forgetSignedOutReason();
    setState({ status: 'signed-out' });
  }, []);

  /**
   * The API refused the token of a session in use (or of the one this tab kept): sign out and say why, also after a
   * reload of the sign-in page.
   */
  const signOutRefused = useCallback(() => {
    forgetToken();
    storeSignedOutReason(REVOKED_REASON);
    setState((previous) => (previous.status === 'signed-out' ? previous : { status: 'signed-out', reason: REVOKED_REASON }));
  }, []);

  useEffect(() => {
    whenUnauthenticated(signOutRefused);
    if (!readToken()) return;
    void fetchMe().then(({ me, problem }) => (me ? setState({ status: 'signed-in', me }) : problem?.status === 401 ? signOutRefused() : signOut()));
  }, [signOut, signOutRefused]);

  const signIn = useCallback(async (token: string) => {
    storeToken(token);
    const { me, problem } = await fetchMe();
    if (me) {
      forgetSignedOutReason();
      setState({ status: 'signed-in', me });
      return undefined;
    }
    forgetToken();
    return problem;
  }, []);

  const session = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function useSessionContext(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

export function useSession(): SessionState & Pick<Session, 'signIn' | 'signOut'> {
  const { state, signIn, signOut } = useSessionContext();
  return { ...state, signIn, signOut };
}

/** The signed-in principal; only for components rendered inside the signed-in console. */
export function useMe(): Me {
  const { state } = useSessionContext();
  if (state.status !== 'signed-in') throw new Error('useMe before sign-in');
  return state.me;
}

export function roleMay(role: Me['role'], operation: Operation): boolean {
  return (operationRoles[operation] as readonly string[]).includes(role);
}

/** `can('POST /api/v1/banks')`: whether the signed-in role may call that operation (auditors change nothing). */
export function useCan(): (operation: Operation) => boolean {
  const me = useMe();
  return useCallback((operation: Operation) => roleMay(me.role, operation), [me.role]);
}
