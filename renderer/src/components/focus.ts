// Where keyboard focus goes after an action removes or disables what had it (a form replaced by the next screen,
// a dialog closed, a button disabled while it works): to the next thing to do, never to the page body.

/** Tries for about half a second: long enough for React to draw the element after a state change. */
const TRIES = 50;
const WAIT_MS = 10;

/**
 * Focuses the element with id `id` once it is in the document (React draws it after the state change that
 * called this), trying every WAIT_MS ms up to TRIES times; an element that is not focusable by itself needs
 * tabIndex={-1}. Does nothing when the element never appears (the officer went elsewhere meanwhile).
 */
export function focusWhenShown(id: string): void {
  let left = TRIES;
  const attempt = () => {
    const el = document.getElementById(id);
    if (el) el.focus();
    else if (--left > 0) setTimeout(attempt, WAIT_MS);
  };
  setTimeout(attempt, 0);
}

/** Whether focus is lost: on the page body or nowhere (what a removed or disabled element leaves behind). */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
