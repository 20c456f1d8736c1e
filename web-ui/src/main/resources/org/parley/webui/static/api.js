// Talks to the node: JSON over fetch (the access cookie rides along) and the /api/events socket.

/** An answer the node refused or could not give; `message` is written for people. */
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * GETs `path` and returns its JSON, or throws an ApiError carrying the node's own message. With
 * `timeoutMs`, a node that does not answer within that time counts as not answering at all (fetch
 * itself never gives up, so a request caught by a node that stops could otherwise wait forever).
 */
export function getJson(path, timeoutMs) {
  const options = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (timeoutMs) {
    options.signal = AbortSignal.timeout(timeoutMs);
  }
  return send(path, options);
}

/** POSTs `body` as JSON to `path` and returns the answer's JSON, or throws an ApiError. */
export function postJson(path, body) {
  return send(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
}

async function send(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError('The node does not answer. Is it still running? Start it again and reload this page.',
      'unreachable', 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (the status alone says what happened), or the body did not come in time.
    if (options.signal?.aborted) {
      throw new ApiError('The node does not answer. Is it still running? Start it again and reload this page.',
        'unreachable', 0);
    }
  }
  if (!response.ok) {
    const message = body && typeof body.message === 'string'
      ? body.message
      : `The node answered HTTP ${response.status}.`;
    throw new ApiError(message, body && body.error, response.status);
  }
  return body;
}

/** `message` as the end of a sentence: one full stop, whether or not the node wrote it. */
export function sentence(message) {
  return `${message.replace(/[.\s]+$/, '')}.`;
}

/** First wait before reconnecting the event socket; doubled after each failure up to the maximum. */
const RECONNECT_FIRST_MS = 500;
/** The longest wait between reconnects: a restarted node is picked up within this. */
const RECONNECT_MAX_MS = 10000;

/**
 * The node's live events. Calls `onEvent(event)` for each JSON event and `onState(state)` with
 * 'connecting', 'live' or 'lost'; reconnects with backoff when the socket closes.
 */
export class EventStream {
  constructor(onEvent, onState) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.delay = RECONNECT_FIRST_MS;
    this.closed = false;
    this.socket = null;
    this.timer = null;
  }

  open() {
    this.closed = false;
    this.onState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/api/events`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.delay = RECONNECT_FIRST_MS;
      this.onState('live');
    });
    socket.addEventListener('message', (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event && typeof event.type === 'string') {
        this.onEvent(event);
      }
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.closed) {
        return;
      }
      this.onState('lost');
      this.timer = setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
    });
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.close();
    }
  }
}

/**
 * An event stream tied to a Lit element's life (a Lit reactive controller): it opens when the
 * element joins the page and closes when it leaves, so no view repeats that wiring.
 */
export class LiveEvents {
  constructor(host, onEvent, onState) {
    this.stream = new EventStream(onEvent, onState);
    host.addController(this);
  }

  hostConnected() {
    this.stream.open();
  }

  hostDisconnected() {
    this.stream.close();
  }
}
