// What a list shows when it has nothing in it: what that means and what to do next, with the button that does it.
import type { ReactNode } from 'react';

/**
 * An empty list's message: a heading (`title`), a sentence saying what to do next (`children`) and one or two
 * buttons that do it (the first is the primary one). `testId` names it for tests.
 */
export function EmptyState(props: { title: string; children: ReactNode; actions: { label: string; onClick: () => void }[]; testId?: string }) {
  return (
    <section className="empty-state" aria-label={props.title} data-testid={props.testId}>
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      <div className="actions" style={{ justifyContent: 'center' }}>
        {props.actions.map((a, i) => (
          <button key={a.label} type="button" className={i === 0 ? 'primary' : undefined} onClick={a.onClick}>
            {a.label}
          </button>
        ))}
      </div>
    </section>
  );
}
