// The hand-over: the PFX password shown this once with its QR code (the holder scans it instead of
// typing), print and PDF of the slip and the installation sheet, a preview of the sheet, and where the
// bundle went. Nothing here is kept once the officer clicks Done, or leaves the screen without it (the issue
// wizard's leaveHandover). Keyboard focus arrives on the first action, printing the slip with the password.
import { useEffect, useRef, useState } from 'react';
import type { Handover } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { day, fullThumb } from '../state/format.js';
import { ErrorBanner, Notice } from './ui.js';

/** The PFX forms in words (the API's "modern" and "legacy" are names for files and the CLI). */
const ENCRYPTION_WORDS: Record<Handover['bundle']['encryption'], string> = { modern: 'AES-256 (modern)', legacy: '3DES (legacy, for older devices)' };

export function PrintPreview({ html, title }: { html: string; title: string }) {
  // sandbox="" : no scripts, no same-origin access; the page is the bundle's own self-contained HTML.
  return <iframe className="preview" sandbox="" srcDoc={html} title={title} />;
}

export function HandoverPanel({ handover, onDone }: { handover: Handover; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [preview, setPreview] = useState<'sheet' | 'slip'>('sheet');
  const firstAction = useRef<HTMLButtonElement>(null);
  // After the next tick, so a dialog opened around the panel (showModal focuses its first control) does not take it back.
  useEffect(() => {
    const t = setTimeout(() => firstAction.current?.focus(), 0);
    return () => clearTimeout(t);
  }, [handover]);
  const c = handover.certificate;
  const print = async (what: 'slip' | 'sheet', pdf: boolean) => {
    setError(null);
    try {
      const html = what === 'slip' ? handover.slipHtml : handover.sheetHtml;
      const title = what === 'slip' ? `Hand-over slip ${c.alias ?? c.holder}` : `Installation sheet ${c.alias ?? c.holder}`;
      const r = await call('print.html', { html, title, pdf });
      if (r.done) setPrinted(r.pdfPath ? `Saved ${r.pdfPath}` : `Sent the ${what === 'slip' ? 'slip' : 'installation sheet'} to the printer.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section className="handover" aria-labelledby="handover-title">
      <h2 id="handover-title">Hand over the certificate of {c.holder}</h2>
      <div className="handover-grid">
        <div className="password-card">
          {handover.bundle.passwordGenerated ? (
            <>
              <p className="label">PFX password — shown only now</p>
              <p className="password" data-testid="pfx-password" translate="no">
                {handover.password}
              </p>
              <img src={handover.passwordQr} alt="QR code of the PFX password" width={200} height={200} data-testid="password-qr" />
              <p className="hint">Give the password apart from the files: print the slip, read it out, or let the holder scan the code.</p>
            </>
          ) : (
            <>
              <p className="label">PFX password</p>
              <p>The PFX opens with the password you set. The slip carries it, if you print one.</p>
            </>
          )}
        </div>
        <div>
          <dl className="props">
            <dt>Bundle folder</dt>
            <dd data-testid="bundle-folder">{handover.bundle.folder}</dd>
            <dt>PFX</dt>
            <dd>
              {ENCRYPTION_WORDS[handover.bundle.encryption]}: {handover.encryptionAdvice}
            </dd>
            <dt>Valid until</dt>
            <dd>{day(c.notAfter)}</dd>
            <dt>SHA-256</dt>
            <dd className="mono">{fullThumb(c.sha256)}</dd>
          </dl>
          <details>
            <summary>{handover.bundle.files.length} files in the bundle</summary>
            <ul className="files">
              {handover.bundle.files.map((f) => (
                <li key={f.name}>
                  <code>{f.name}</code> — {f.purpose}
                </li>
              ))}
            </ul>
          </details>
          <div className="actions">
            <button type="button" ref={firstAction} onClick={() => void print('slip', false)}>
              Print hand-over slip
            </button>
            <button type="button" onClick={() => void print('sheet', false)}>
              Print installation sheet
            </button>
            <button type="button" onClick={() => void print('sheet', true)}>
              Save sheet as PDF
            </button>
          </div>
          {printed && <Notice kind="success">{printed}</Notice>}
          <ErrorBanner error={error} />
        </div>
      </div>
      <div className="preview-head">
        <h3>Print preview</h3>
        <div role="group" aria-label="Preview" className="segmented">
          <button type="button" aria-pressed={preview === 'sheet'} onClick={() => setPreview('sheet')}>
            Installation sheet
          </button>
          <button type="button" aria-pressed={preview === 'slip'} onClick={() => setPreview('slip')}>
            Hand-over slip
          </button>
        </div>
      </div>
      <PrintPreview html={preview === 'sheet' ? handover.sheetHtml : handover.slipHtml} title={preview === 'sheet' ? 'Installation sheet preview' : 'Hand-over slip preview'} />
      <div className="actions end">
        <button type="button" className="primary" onClick={onDone}>
          Done — forget the password
        </button>
      </div>
    </section>
  );
}
