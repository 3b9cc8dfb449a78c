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

  useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
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
