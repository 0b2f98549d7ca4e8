// The API client. Every URL is relative to the page, so the same code works at / on Kestrel and under an
// API Gateway stage such as /Prod/.

/** An error response (or no response at all), carrying the problem details the API sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
    /** Validation errors keyed by camelCase JSON field name, e.g. { name: ["..."], "tags[0]": ["..."] }. */
    this.errors = this.problem.errors && typeof this.problem.errors === 'object' ? this.problem.errors : {};
  }
}

// Numbers are kept as their JSON source text where the browser allows it, so decimal results such as
// 0.1 + 0.2 = 0.3 or 28-digit quotients are shown exactly as the server computed them.
function parseJson(text, exactNumbers) {
  if (!exactNumbers) {
    return JSON.parse(text);
  }
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && context && typeof context.source === 'string' ? context.source : value);
}

async function send(method, url, { body, ifMatch, exactNumbers = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }

  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { title: 'The server could not be reached', detail: 'Check your connection and try again.' });
  }

  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text && /json/i.test(response.headers.get('Content-Type') ?? '')) {
    try {
      data = parseJson(text, exactNumbers && response.ok);
    } catch {
      data = null;
    }
  }

  if (!response.ok) {
    throw new ApiError(response.status, data ?? { title: response.statusText || `Request failed (${response.status})` });
  }
  return { data, etag: response.headers.get('ETag') };
}

/** The entity tag of an item version, as the API sends it in ETag and expects it in If-Match. */
export const etagOf = (item) => `"${item.version}"`;

const itemUrl = (id) => `items/${encodeURIComponent(id)}`;

export const itemsApi = {
  async list({ category, limit, nextToken } = {}) {
    const query = new URLSearchParams();
    if (category) query.set('category', category);
    if (limit) query.set('limit', String(limit));
    if (nextToken) query.set('nextToken', nextToken);
    const { data } = await send('GET', `items?${query}`);
    return { items: data?.items ?? [], nextToken: data?.nextToken ?? null };
  },
  async get(id) {
    return (await send('GET', itemUrl(id))).data;
  },
  async create(item) {
    return (await send('POST', 'items', { body: item })).data;
  },
  async replace(id, item, ifMatch) {
    return (await send('PUT', itemUrl(id), { body: item, ifMatch })).data;
  },
  async remove(id, ifMatch) {
    await send('DELETE', itemUrl(id), { ifMatch });
  },
};

export const calculatorApi = {
  /** number1 and number2 are JSON number texts, sent as typed so no precision is lost on the way. */
  async calculate(number1, number2) {
    const body = `{"number1":${number1},"number2":${number2}}`;
    return (await send('POST', 'calculator', { body, exactNumbers: true })).data;
  },
};
