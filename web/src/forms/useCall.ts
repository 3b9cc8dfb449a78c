/**
 * A call made by a button, outside a form: busy while it runs; its problem (or the network's) handed to `onProblem`,
 * cleared when the call starts; its data to `onData`.
 */
import { useState } from 'react';
import { networkProblem, type Problem } from '../api/client';
import type { Outcome } from './useSubmit';

export function useCall<T>(call: () => Promise<Outcome<T>>, onData: (data: T) => void, onProblem: (problem: Problem | undefined) => void) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    onProblem(undefined);
    try {
      const { data, error } = await call();
      if (error) onProblem(error);
      else if (data !== undefined) onData(data);
    } catch (failure) {
      onProblem(networkProblem(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
