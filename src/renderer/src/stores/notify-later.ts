/**
 * Runs `notify` once, in a task of its own, however many times it is asked for before that task runs. Stores
 * take an event batch in the event's own task (cheap: a ring push) and let React render in the next one, so
 * neither task grows long when a busy machine gives the page little CPU.
 */
export function notifyLater(notify: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      notify();
    }, 0);
  };
}
