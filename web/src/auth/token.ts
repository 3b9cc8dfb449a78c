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
