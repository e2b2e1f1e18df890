// A form's submit: busy while main works, main's refusal in `error` (in the window's words, messageOf), the
// answer handed to `onDone`. Busy stays on after success: the form is usually closed by onDone.
import { useState } from 'react';
import { messageOf } from '../state/api.js';

export function useSubmit<T>(action: () => Promise<T>, onDone: (result: T) => void): { busy: boolean; error: string | null; submit: () => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await action());
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
