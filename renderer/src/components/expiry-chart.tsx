// What expires when: one stacked bar per month main sends (12: this month and the eleven after it), a colour
// per issuing CA; the label names as many months as there are bars. The numbers are also in a table for screen
// readers and for anyone who prefers to read them.
import type { Dashboard } from '../../../shared/api.js';
import { month as monthLabel } from '../state/format.js';

const COLORS = ['#2f6fde', '#e0703a', '#2e9e6a', '#a35bd6', '#c9a227', '#d6456b'];

export function ExpiryChart({ expiry }: { expiry: Dashboard['expiry'] }) {
  const totals = expiry.months.map((_, i) => expiry.series.reduce((n, s) => n + (s.counts[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const W = 680;
  const H = 200;
  const barW = W / expiry.months.length;
  const sum = totals.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H + 24}`} role="img" aria-label={`Certificates expiring per month: ${sum} in the next ${expiry.months.length} months`}>
        {expiry.months.map((m, i) => {
          let y = H;
          return (
            <g key={m}>
              {expiry.series.map((s, k) => {
                const h = ((s.counts[i] ?? 0) / max) * (H - 16);
                y -= h;
                return h > 0 ? <rect key={s.ca} x={i * barW + 6} y={y} width={barW - 12} height={h} fill={COLORS[k % COLORS.length]} /> : null;
              })}
              {totals[i]! > 0 && (
                <text x={i * barW + barW / 2} y={y - 4} textAnchor="middle" className="chart-value">
                  {totals[i]}
                </text>
              )}
              <text x={i * barW + barW / 2} y={H + 16} textAnchor="middle" className="chart-axis">
                {monthLabel(m)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {expiry.series.map((s, k) => (
            <li key={s.ca}>
              <span className="swatch" style={{ background: COLORS[k % COLORS.length] }} aria-hidden="true" /> {s.ca}
            </li>
          ))}
          {expiry.series.length === 0 && <li>Nothing expires in the next {expiry.months.length} months.</li>}
        </ul>
      </figcaption>
      <details>
        <summary>Show as a table</summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">CA</th>
              {expiry.months.map((m) => (
                <th scope="col" key={m}>
                  {monthLabel(m)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {expiry.series.map((s) => (
              <tr key={s.ca}>
                <th scope="row">{s.ca}</th>
                {s.counts.map((n, i) => (
                  <td key={i}>{n}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
