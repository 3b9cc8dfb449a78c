/**
 * A read for a page: `useLoad(() => api.GET(...), [deps])` → the data, the problem if the API refused, and `reload`.
 * The answer of an older request never overwrites a newer one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { networkProblem, type Problem } from './client';

export interface Loaded<T> {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<{ data?: T; error?: Problem }>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  // A reload of the same read keeps what is shown under its spinner; a different read (another id, filter or page)
  // shows its loading state at once instead of the previous answer as if it were this one's.
  const lastDeps = useRef<readonly unknown[]>(deps);
  useEffect(() => {
    const request = ++latest.current;
    const sameRead = lastDeps.current.length === deps.length && lastDeps.current.every((value, index) => Object.is(value, deps[index]));
    lastDeps.current = deps;
    setState((previous) => (sameRead ? { ...previous, loading: true } : { loading: true }));
    load()
      .then(
        ({ data, error }) => ({ data, problem: error }),
        (failure: unknown) => ({ data: undefined, problem: networkProblem(failure) }),
      )
      .then((outcome) => {
        if (request === latest.current) setState({ ...outcome, loading: false });
      });
    // The caller names what the load depends on (the load function itself is a new closure on every render).
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.data, problem: state.problem, loading: state.loading, reload };
}
