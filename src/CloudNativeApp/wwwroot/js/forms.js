// Showing validation errors next to the fields they name, for any form on the page.

/**
 * Shows each error under the field it names and returns the messages no field on the form claims.
 * fields maps an API field name (camelCase, as in problem details "errors") to an input element.
 * Keys such as "tags[3]" or "tags[3].name" belong to the field "tags".
 */
export function showFieldErrors(fields, errors) {
  const byField = new Map();
  const unclaimed = [];
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const name = key.split(/[.[]/, 1)[0];
    const field = Object.keys(fields).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const list = Array.isArray(messages) ? messages : [String(messages)];
    if (field) {
      byField.set(field, [...(byField.get(field) ?? []), ...list]);
    } else {
      unclaimed.push(...list);
    }
  }

  let first = null;
  for (const [field, input] of Object.entries(fields)) {
    const messages = byField.get(field);
    setFieldError(input, messages ? [...new Set(messages)].join(' ') : '');
    if (messages && !first) first = input;
  }
  first?.focus();
  return unclaimed;
}

export function setFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (message) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
  if (error) {
    error.textContent = message;
    error.hidden = !message;
  }
}

export function clearFieldErrors(fields) {
  for (const input of Object.values(fields)) {
    setFieldError(input, '');
  }
}

export function showMessage(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}

/** A sentence describing an API error for someone who is not reading the HTTP exchange. */
export function describeError(error) {
  if (error?.status === 0) return `${error.problem.title}. ${error.problem.detail}`;
  const { title, detail } = error?.problem ?? {};
  if (title && detail && title !== detail) return `${title}: ${detail}`;
  return detail || title || error?.message || 'Something went wrong.';
}
