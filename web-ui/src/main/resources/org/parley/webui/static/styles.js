// Styles shared by the components: focus rings, buttons, headings, code.
import { css } from 'lit';

export const shared = css`
  :host { display: block; }
  *:focus-visible { outline: 3px solid var(--parley-focus); outline-offset: 2px; }
  h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
  code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85rem;
    overflow-wrap: anywhere; }
  button { font: inherit; font-size: 0.85rem; padding: 0.3rem 0.7rem; border-radius: 6px; cursor: pointer;
    border: 1px solid var(--parley-border); background: var(--parley-surface); color: var(--parley-fg);
    min-height: 2rem; }
  button:hover { border-color: var(--parley-accent); }
  .card { background: var(--parley-surface); border: 1px solid var(--parley-border); border-radius: 8px;
    padding: 1rem; margin-bottom: 1rem; }
  .muted { color: var(--parley-muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
    white-space: nowrap; }
`;

/**
 * Tells the app shell to show `message` in its error banner. `source` names what failed, so that
 * clearError(element, source) can take the message back once that thing works again.
 */
export function reportError(element, message, source = '') {
  element.dispatchEvent(new CustomEvent('parley-error', { detail: { message, source }, bubbles: true, composed: true }));
}

/** Takes back the banner's message if `source` reported it. */
export function clearError(element, source) {
  element.dispatchEvent(new CustomEvent('parley-error-cleared', { detail: { source }, bubbles: true, composed: true }));
}
