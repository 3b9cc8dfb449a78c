/**
 * A form's submission: busy while the call runs, each problem+json error on its field, the rest for an alert.
 */
import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { networkProblem, type Problem } from '../api/client';
import { showProblemOnForm, type UnplacedProblem } from './problem';

/** What a submit function returns: openapi-fetch's `{ data, error }`. */
export type Outcome<T> = { data?: T; error?: Problem };

/** `fallbackField` receives a problem that names no field (e.g. a 404 for the account the form asked about). */
export function useSubmit<Values, T>(
  form: FormInstance<Values>,
  submit: (values: Values) => Promise<Outcome<T>>,
  onDone: (data: T) => void,
  fallbackField?: string,
) {
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<UnplacedProblem>();

  const run = useCallback(
    async (values: Values) => {
      setSubmitting(true);
      setProblem(undefined);
      try {
        let outcome: Outcome<T>;
        try {
          outcome = await submit(values);
        } catch (failure) {
          outcome = { error: networkProblem(failure) };
        }
        if (outcome.error) setProblem(showProblemOnForm(form, outcome.error, fallbackField));
        else if (outcome.data !== undefined) onDone(outcome.data);
      } finally {
        setSubmitting(false);
      }
    },
    [form, submit, onDone, fallbackField],
  );
  return { run, submitting, problem, clearProblem: () => setProblem(undefined) };
}
