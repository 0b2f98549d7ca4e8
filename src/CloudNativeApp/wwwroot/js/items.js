// The items list (category filter, "load more" pages), the create/edit dialog and delete confirmation.
import { itemsApi, etagOf, ApiError } from './api.js';
import { showFieldErrors, clearFieldErrors, showMessage, describeError } from './forms.js';
import { toLocalInputValue, fromLocalInputValue } from './format.js';
import { itemElement } from './item-card.js';

const PAGE_SIZE = 10;

export function initItems({ notify }) {
  const $ = (id) => document.getElementById(id);
  const list = $('item-list');
  const state = $('items-state');
  const loadMore = $('load-more');
  const filterForm = $('filter');
  const filterInput = $('filter-category');
  const clearFilter = $('clear-filter');
  const exportLink = $('export-items');
  const heading = $('items-heading');

  const dialog = $('item-dialog');
  const form = $('item-form');
  const formTitle = $('item-dialog-title');
  const formError = $('item-form-error');
  const conflict = $('item-conflict');
  const saveButton = $('save-item');
  // In the order they appear, so the first field with an error is the one that gets focus.
  const fields = {
    name: $('item-name'),
    description: $('item-description'),
    category: $('item-category'),
    expiresAt: $('item-expires'),
    tags: $('item-tags'),
  };

  const deleteDialog = $('delete-dialog');
  const deleteText = $('delete-dialog-text');
  const deleteError = $('delete-error');
  const confirmDelete = $('confirm-delete');

  const view = { category: '', items: new Map(), nextToken: null, request: 0 };
  let editing = null; // { id, etag } while editing, null while creating
  let deleting = null;

  // ---- list -------------------------------------------------------------------------------------------

  function renderState(kind, message, retry) {
    state.className = `state state--${kind}`;
    state.replaceChildren();
    if (!kind || kind === 'none') return;
    const text = document.createElement('p');
    text.textContent = message;
    state.append(text);
    if (retry) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button';
      button.textContent = 'Try again';
      button.addEventListener('click', retry);
      state.append(button);
    }
  }

  function renderEmptyOrNone() {
    if (view.items.size > 0) {
      renderState('none');
    } else if (view.category) {
      renderState('empty', `No items in the category “${view.category}”.`);
    } else {
      renderState('empty', 'No items yet. Use “New item” to create the first one.');
    }
  }

  function upsert(item, { prepend = false } = {}) {
    const existing = list.querySelector(`li[data-id="${CSS.escape(item.id)}"]`);
    const matchesFilter = !view.category || item.category === view.category;
    if (!matchesFilter) {
      remove(item.id);
      return;
    }
    view.items.set(item.id, item);
    // The handlers look the item up when clicked: an edit may have replaced it (and its ETag) since it was drawn.
    const element = itemElement(item, {
      onEdit: () => openForm(view.items.get(item.id) ?? item),
      onDelete: () => openDelete(view.items.get(item.id) ?? item),
    });
    if (existing) {
      existing.replaceWith(element);
    } else if (prepend) {
      list.prepend(element);
    } else {
      list.append(element);
    }
    renderEmptyOrNone();
  }

  function remove(id) {
    view.items.delete(id);
    list.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
    renderEmptyOrNone();
  }

  async function load({ append = false } = {}) {
    const request = ++view.request; // a newer filter wins over a slower older response
    if (append) {
      loadMore.disabled = true;
      loadMore.textContent = 'Loading…';
    } else {
      view.items.clear();
      view.nextToken = null;
      list.replaceChildren();
      loadMore.hidden = true;
      renderState('loading', 'Loading items…');
    }
    list.setAttribute('aria-busy', 'true');

    try {
      const page = await itemsApi.list({ category: view.category, limit: PAGE_SIZE, nextToken: append ? view.nextToken : null });
      if (request !== view.request) return;
      for (const item of page.items) {
        if (!view.items.has(item.id)) upsert(item);
      }
      view.nextToken = page.nextToken;
      renderEmptyOrNone();
    } catch (error) {
      if (request !== view.request) return;
      if (append) {
        notify(`Could not load more items. ${describeError(error)}`, 'error');
      } else {
        renderState('error', `Could not load items. ${describeError(error)}`, () => load());
      }
    } finally {
      if (request === view.request) {
        list.removeAttribute('aria-busy');
        loadMore.disabled = false;
        loadMore.textContent = 'Load more';
        loadMore.hidden = !view.nextToken;
      }
    }
  }

  // The export follows the filter: the shown category, or every item.
  function showCategory(category) {
    view.category = category;
    clearFilter.hidden = !category;
    exportLink.href = category ? `items/export?${new URLSearchParams({ category })}` : 'items/export';
    exportLink.download = category ? `items-${category}.ndjson` : 'items.ndjson';
    load();
  }

  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!filterForm.reportValidity()) return;
    showCategory(filterInput.value.trim());
  });
  clearFilter.addEventListener('click', () => {
    filterInput.value = '';
    showCategory('');
    filterInput.focus();
  });
  loadMore.addEventListener('click', () => load({ append: true }));

  // ---- create and edit ----------------------------------------------------------------------------------

  function fill(item) {
    fields.name.value = item?.name ?? '';
    fields.description.value = item?.description ?? '';
    fields.category.value = item?.category ?? (view.category || '');
    fields.tags.value = (item?.tags ?? []).join(', ');
    fields.expiresAt.value = toLocalInputValue(item?.expiresAt);
  }

  function resetMessages() {
    clearFieldErrors(fields);
    showMessage(formError, '');
    conflict.hidden = true;
  }

  // One dialog for both: null creates a new item, an item is edited (its ETag kept for If-Match).
  function openForm(item) {
    editing = item ? { id: item.id, etag: etagOf(item) } : null;
    formTitle.textContent = item ? 'Edit item' : 'New item';
    saveButton.textContent = item ? 'Save changes' : 'Create';
    resetMessages();
    fill(item);
    dialog.showModal();
    fields.name.focus();
  }

  function formValue() {
    const tags = fields.tags.value.split(',').map((tag) => tag.trim()).filter(Boolean);
    const value = { name: fields.name.value.trim() };
    // PUT replaces every mutable field, so an emptied field is sent as "cleared" rather than left out.
    value.description = fields.description.value.trim() || null;
    value.category = fields.category.value.trim() || 'general';
    value.tags = tags;
    value.expiresAt = fromLocalInputValue(fields.expiresAt.value);
    if (!editing) {
      for (const key of ['description', 'expiresAt']) {
        if (value[key] === null) delete value[key];
      }
    }
    return value;
  }

  async function save(event) {
    event.preventDefault();
    resetMessages();
    if (!form.reportValidity()) return;

    saveButton.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      if (editing) {
        const saved = await itemsApi.replace(editing.id, formValue(), editing.etag);
        upsert(saved);
        dialog.close();
        notify(view.category && saved.category !== view.category
          ? `Saved “${saved.name}”; it moved to “${saved.category}”, so it left this filtered list.`
          : `Saved “${saved.name}”.`);
      } else {
        const created = await itemsApi.create(formValue());
        upsert(created, { prepend: true });
        dialog.close();
        notify(view.category && created.category !== view.category
          ? `Created “${created.name}” in “${created.category}”; it is not shown because the list is filtered to “${view.category}”.`
          : `Created “${created.name}”.`);
      }
    } catch (error) {
      handleSaveError(error);
    } finally {
      saveButton.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  function handleSaveError(error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 412) {
      conflict.hidden = false;
      $('reload-item').focus();
      return;
    }
    if (error.status === 404 && editing) {
      remove(editing.id);
      showMessage(formError, 'This item no longer exists: someone deleted it. Cancel to go back to the list.');
      return;
    }
    const unclaimed = showFieldErrors(fields, error.errors);
    const hasFieldErrors = Object.keys(error.errors).length > unclaimed.length;
    if (unclaimed.length || !hasFieldErrors) {
      showMessage(formError, unclaimed.length ? unclaimed.join(' ') : describeError(error));
    } else {
      showMessage(formError, 'Please correct the highlighted fields.');
    }
  }

  async function reloadEditedItem() {
    if (!editing) return;
    const button = $('reload-item');
    button.disabled = true;
    try {
      const latest = await itemsApi.get(editing.id);
      editing.etag = etagOf(latest);
      resetMessages();
      fill(latest);
      upsert(latest);
      notify(`Loaded the latest version of “${latest.name}”.`);
      fields.name.focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        remove(editing.id);
        conflict.hidden = true;
        showMessage(formError, 'This item no longer exists: someone deleted it.');
      } else {
        showMessage(formError, `Could not reload the item. ${describeError(error)}`);
      }
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener('submit', save);
  $('reload-item').addEventListener('click', reloadEditedItem);
  $('new-item').addEventListener('click', () => openForm(null));

  // ---- delete -------------------------------------------------------------------------------------------

  function openDelete(item) {
    deleting = item;
    deleteText.textContent = `“${item.name}” will be deleted. This cannot be undone.`;
    showMessage(deleteError, '');
    deleteDialog.showModal();
    // The safe choice has focus, so an accidental Enter does not delete.
    deleteDialog.querySelector('[data-close]').focus();
  }

  confirmDelete.addEventListener('click', async () => {
    const item = deleting;
    if (!item) return;
    confirmDelete.disabled = true;
    try {
      await itemsApi.remove(item.id, etagOf(item));
      deleteDialog.close();
      remove(item.id);
      heading.focus();
      notify(`Deleted “${item.name}”.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        deleteDialog.close();
        remove(item.id);
        heading.focus();
        notify(`“${item.name}” had already been deleted.`);
      } else if (error instanceof ApiError && error.status === 412) {
        deleteDialog.close();
        notify(`“${item.name}” was changed by someone else, so it was not deleted. The list shows the latest version.`, 'error');
        try {
          upsert(await itemsApi.get(item.id));
        } catch {
          load();
        }
      } else {
        showMessage(deleteError, `Could not delete the item. ${describeError(error)}`);
      }
    } finally {
      confirmDelete.disabled = false;
    }
  });

  for (const element of [dialog, deleteDialog]) {
    for (const close of element.querySelectorAll('[data-close]')) {
      close.addEventListener('click', () => element.close());
    }
    // A click on the backdrop (the dialog element itself, outside its content) closes it, as Escape does.
    element.addEventListener('click', (event) => {
      if (event.target === element) element.close();
    });
  }

  load();
}
