/** The bearer token lives in sessionStorage: it stays with this tab only and is gone when the tab closes. */
const TOKEN_KEY = 'ipl.token';

export function readToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Why the console signed this tab out by itself, kept beside the token so that reloading the sign-in page still says
 * why; cleared by the next sign-in or a sign-out the user asked for.
 */
const SIGNED_OUT_KEY = 'ipl.signedOutReason';

export function readSignedOutReason(): string | undefined {
  return sessionStorage.getItem(SIGNED_OUT_KEY) ?? undefined;
}

export function storeSignedOutReason(reason: string): void {
  sessionStorage.setItem(SIGNED_OUT_KEY, reason);
}

export function forgetSignedOutReason(): void {
  sessionStorage.removeItem(SIGNED_OUT_KEY);
}
