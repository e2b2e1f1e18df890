// Where keyboard focus goes after an action removes or disables what had it (a form replaced by the next screen,
// a dialog closed, a button disabled while it works): to the next thing to do, never to the page body.

/** Tries for about half a second: long enough for React to draw the element after a state change. */
const TRIES = 50;
const WAIT_MS = 10;

/**
 * Focuses the element with id `id` once it is in the document (React draws it after the state change that
 * called this), checking every WAIT_MS ms for TRIES checks; an element that is not focusable by itself needs
 * tabIndex={-1}. Once focused, it is focused again only if focus is lost during those checks (a closing
 * dialog, or a reload that draws the element anew, can drop it on the page body); focus the officer moved
 * elsewhere is left alone. Does nothing when the element never appears.
 */
export function focusWhenShown(id: string): void {
  let left = TRIES;
  let focused = false;
  const attempt = () => {
    const el = document.getElementById(id);
    if (el && (!focused || focusIsLost())) {
      el.focus();
      focused ||= document.activeElement === el;
    }
    if (--left > 0) setTimeout(attempt, WAIT_MS);
  };
  setTimeout(attempt, 0);
}

/** Whether focus is lost: on the page body or nowhere (what a removed or disabled element leaves behind). */
export function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
