// Small building blocks every screen uses: labelled fields with their problem shown beside them, error
// banners, a modal dialog on the native <dialog> (focus trap and Escape for free), folder and file pickers.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { call, messageOf } from '../state/api.js';

export function Field(props: { label: string; hint?: ReactNode; problem?: string | null; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const problemId = props.problem ? `${id}-problem` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.problem ? ' has-problem' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      )}
      {props.problem && (
        <div className="problem" id={problemId} role="alert">
          {props.problem}
        </div>
      )}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  problem?: string | null;
  type?: string;
  placeholder?: string;
  autoFocus?: boolean;
  autoComplete?: string;
  name?: string;
  /** Shown but not editable (still focusable and read out), e.g. until the value it edits has loaded. */
  readOnly?: boolean;
}) {
  return (
    <Field label={props.label} hint={props.hint} problem={props.problem}>
      {(id, describedBy) => (
        <input
          id={id}
          name={props.name}
          readOnly={props.readOnly}
          type={props.type ?? 'text'}
          value={props.value}
          placeholder={props.placeholder}
          autoFocus={props.autoFocus}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string | number>(props: { label: string; value: T | ''; options: { value: T; label: string }[]; onChange: (v: T) => void; hint?: ReactNode; problem?: string | null; placeholder?: string }) {
  return (
    <Field label={props.label} hint={props.hint} problem={props.problem}>
      {(id, describedBy) => (
        <select
          id={id}
          value={String(props.value)}
          aria-describedby={describedBy}
          onChange={(e) => {
            const o = props.options.find((x) => String(x.value) === e.target.value);
            if (o) props.onChange(o.value);
          }}
        >
          {props.value === '' && <option value="">{props.placeholder ?? 'Choose…'}</option>}
          {props.options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ErrorBanner({ error, onClose }: { error: string | null; onClose?: () => void }) {
  if (!error) return null;
  return (
    <div className="banner error" role="alert">
      <span>{error}</span>
      {onClose && (
        <button type="button" className="link" onClick={onClose}>
          Dismiss
        </button>
      )}
    </div>
  );
}

/**
 * A message banner. Its content is one block (`.banner-text`), so a sentence with a file path in it wraps as text
 * (the path breaks anywhere, styles.css) instead of each piece becoming a column of the banner's flex row. With
 * `id` it can take focus (focusWhenShown), for a result the officer should land on.
 */
export function Notice({ kind = 'info', children, id }: { kind?: 'info' | 'warning' | 'success'; children: ReactNode; id?: string }) {
  return (
    <div className={`banner ${kind}`} role={kind === 'warning' ? 'note' : 'status'} id={id} tabIndex={id ? -1 : undefined}>
      <div className="banner-text">{children}</div>
    </div>
  );
}

/**
 * A button that says why it is disabled: while `reasons` is not empty it is disabled and the reasons (what is
 * still missing, in words) show beside it and describe it (aria-describedby), so a screen reader reads them with
 * the button. `busy` disables it without a reason (the work is under way and says so itself).
 */
export function ReasonButton(props: { reasons: string[]; busy?: boolean; onClick: () => void; className?: string; children: ReactNode }) {
  const id = useId();
  const why = props.reasons.length > 0;
  return (
    <>
      {why && (
        <span className="why" id={id} data-testid="why-disabled">
          {props.reasons.join(' ')}
        </span>
      )}
      <button type="button" className={props.className} disabled={why || props.busy} aria-describedby={why ? id : undefined} onClick={props.onClick}>
        {props.children}
      </button>
    </>
  );
}

/** A modal on <dialog>: showModal gives the focus trap, Escape and the inert background. */
export function Modal(props: { title: string; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className={props.wide ? 'wide' : undefined} aria-labelledby={titleId} onClose={props.onClose} onCancel={props.onClose}>
      {props.open && (
        <>
          <header className="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" className="icon" aria-label="Close" onClick={props.onClose}>
              ×
            </button>
          </header>
          {props.children}
        </>
      )}
    </dialog>
  );
}

/** A path: typed, or chosen with a system dialog (`choose` answers null when the officer cancels). */
function PathField(props: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; problem?: string | null; choose: () => Promise<{ path: string } | null> }) {
  const [error, setError] = useState<string | null>(null);
  const choose = async () => {
    try {
      const choice = await props.choose();
      if (choice) props.onChange(choice.path);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Field label={props.label} hint={props.hint} problem={props.problem ?? error}>
      {(id, describedBy) => (
        <div className="inline">
          <input id={id} value={props.value} spellCheck={false} aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.value)} />
          <button type="button" onClick={() => void choose()}>
            Choose…
          </button>
        </div>
      )}
    </Field>
  );
}

/** A folder: typed, or chosen with the system's folder dialog. */
export function FolderField(props: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; problem?: string | null; dialogTitle: string }) {
  return <PathField {...props} choose={() => call('dialog.chooseFolder', { title: props.dialogTitle })} />;
}

/** A file to save: typed, or chosen with the system's save dialog. */
export function SaveFileField(props: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; defaultName: string; dialogTitle: string }) {
  return <PathField {...props} choose={() => call('dialog.saveFile', { title: props.dialogTitle, defaultName: props.defaultName })} />;
}

/** A file to read in main (a backup): typed, or picked with main's open dialog, whose answer main may read. */
export function OpenFileField(props: { label: string; value: string; onChange: (v: string) => void; hint?: ReactNode; dialogTitle: string; filterName: string; extensions: string[] }) {
  return <PathField {...props} choose={() => call('dialog.openFile', { title: props.dialogTitle, filterName: props.filterName, extensions: props.extensions })} />;
}

export interface PickedFile {
  name: string;
  base64: string;
  text: string;
  size: number;
}

async function readFile(file: File): Promise<PickedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: file.name, base64: btoa(binary), text: new TextDecoder().decode(bytes), size: bytes.length };
}

/** Pick or drop one file; its content is read here and sent to main (no paths cross the boundary). */
export function FileDrop(props: { label: string; accept: string; onFile: (f: PickedFile) => void; current?: string | null; hint?: ReactNode }) {
  const [over, setOver] = useState(false);
  const id = useId();
  const take = async (files: FileList | null) => {
    const f = files?.[0];
    if (f) props.onFile(await readFile(f));
  };
  return (
    <div
      className={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void take(e.dataTransfer.files);
      }}
    >
      <label htmlFor={id}>{props.label}</label>
      <input id={id} type="file" accept={props.accept} onChange={(e) => void take(e.target.files)} />
      <div className="hint">{props.current ? `Loaded: ${props.current}` : 'or drop the file here'}</div>
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status}</span>;
}

export function Busy({ label }: { label: string }) {
  return (
    <span className="busy" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </span>
  );
}
