import { useEffect, useState } from 'preact/hooks';

/** Who the API says the token is (GET /me). */
export interface Me {
  id: string;
  role: string;
  unit: string | null;
  via: 'apiKey' | 'jwt';
}

const TOKEN_KEY = 'zhengwu.token';
const ME_KEY = 'zhengwu.me';
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((listener) => listener());

/**
 * The signed-in token lives in this tab's sessionStorage only: closing the tab signs out, and no other
 * site or tab reads it. The console never decides what a role may do; the API answers that per call.
 */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  me: (): Me | null => {
    const stored = sessionStorage.getItem(ME_KEY);
    return stored ? (JSON.parse(stored) as Me) : null;
  },
  signIn(token: string, me: Me): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
    changed();
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ME_KEY);
    changed();
  },
  /** The API refused the token (401): back to the sign-in page. */
  expired(): void {
    if (session.token()) session.signOut();
  },
};

/** The signed-in caller, re-rendering on sign-in and sign-out. */
export function useMe(): Me | null {
  const [me, setMe] = useState(session.me());
  useEffect(() => {
    const update = () => setMe(session.me());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return me;
}
