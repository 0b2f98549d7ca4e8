// One item of the list as an <article>: name, category, description, tags, expiry and last update, and its actions.
import { formatDate, formatRelative } from './format.js';

const SOON_MS = 3 * 24 * 3600 * 1000;

export function itemElement(item, { onEdit, onDelete }) {
  const li = document.createElement('li');
  li.className = 'item';
  li.dataset.id = item.id;

  const article = document.createElement('article');
  const nameId = `item-${item.id}-name`;
  article.setAttribute('aria-labelledby', nameId);

  const head = document.createElement('div');
  head.className = 'item__head';
  const name = document.createElement('h3');
  name.id = nameId;
  name.className = 'item__name';
  name.textContent = item.name;
  const category = document.createElement('span');
  category.className = 'badge';
  category.textContent = item.category;
  category.title = 'Category';
  head.append(name, category);
  article.append(head);

  if (item.description) {
    const description = document.createElement('p');
    description.className = 'item__description';
    description.textContent = item.description;
    article.append(description);
  }

  if (item.tags?.length) {
    const tags = document.createElement('ul');
    tags.className = 'tags';
    tags.setAttribute('aria-label', 'Tags');
    for (const tag of item.tags) {
      const li = document.createElement('li');
      li.textContent = tag;
      tags.append(li);
    }
    article.append(tags);
  }

  const meta = document.createElement('p');
  meta.className = 'item__meta';
  meta.append(expiryElement(item.expiresAt));
  if (item.updatedAt) {
    const updated = document.createElement('span');
    updated.append('Updated ', timeElement(item.updatedAt, formatRelative(item.updatedAt)));
    meta.append(updated);
  }
  article.append(meta);

  const actions = document.createElement('div');
  actions.className = 'item__actions';
  actions.append(
    actionButton('Edit', item, 'button', onEdit),
    actionButton('Delete', item, 'button button--danger-quiet', onDelete),
  );
  article.append(actions);
  li.append(article);
  return li;
}

function actionButton(label, item, className, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.dataset.action = label.toLowerCase();
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = ` ${item.name}`;
  button.append(label, hidden);
  button.addEventListener('click', onClick);
  return button;
}

function timeElement(iso, text) {
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = formatDate(iso);
  time.textContent = text;
  return time;
}

function expiryElement(expiresAt) {
  const span = document.createElement('span');
  span.className = 'expiry';
  if (!expiresAt) {
    span.textContent = 'Does not expire';
    return span;
  }
  const remaining = new Date(expiresAt).getTime() - Date.now();
  if (remaining <= 0) {
    span.classList.add('expiry--expired');
    span.append('Expired ', timeElement(expiresAt, formatRelative(expiresAt)));
  } else {
    if (remaining < SOON_MS) span.classList.add('expiry--soon');
    span.append('Expires ', timeElement(expiresAt, `${formatRelative(expiresAt)} (${formatDate(expiresAt)})`));
  }
  return span;
}
