/*
 * A form's state kept in the query string, for the page scripts that filter a view
 * (explorer.js, matrix.js): a view can be bookmarked and shared, and Back and Forward
 * restore earlier ones. Loaded before them, on their pages only (no library).
 *
 * The form names the fields it keeps, in the order the address lists them, in its
 * data-url-fields attribute (written by the page's Python, from the same vocabulary as
 * the form's fields); the scripts keep no list of their own. A value that is not one of a
 * select's options is ignored. Values are only compared and assigned, never inserted as HTML.
 */
window.hbUrlState = (() => {
  "use strict";

  /** The names of the fields ``form`` keeps in the address. */
  function fields(form) {
    return (form.dataset.urlFields || "").split(/\s+/).filter(Boolean);
  }

  /** {name: trimmed value} of the kept fields. */
  function values(form) {
    return Object.fromEntries(fields(form).map((name) => [name, form.elements[name].value.trim()]));
  }

  /** Set every kept field from the address (empty when absent or not an option). */
  function restore(form) {
    const params = new URLSearchParams(window.location.search);
    for (const name of fields(form)) {
      const field = form.elements[name];
      field.value = params.get(name) || "";
      if (field.tagName === "SELECT" && field.selectedIndex < 0) field.value = "";
    }
  }

  /** Empty every kept field. */
  function clear(form) {
    for (const name of fields(form)) form.elements[name].value = "";
  }

  /** Write the non-empty fields to the address, in the form's order: a new history entry,
   * or with ``replace`` the current one. Returns false when the address already says so. */
  function record(form, replace = false) {
    const current = values(form);
    const url = new URL(window.location.href);
    url.search = new URLSearchParams(fields(form).filter((n) => current[n]).map((n) => [n, current[n]])).toString();
    if (url.href === window.location.href) return false;
    if (replace) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
    return true;
  }

  /** Restore the form from the address on Back and Forward, then call ``then``. */
  function follow(form, then) {
    window.addEventListener("popstate", () => {
      restore(form);
      then();
    });
  }

  return { fields, values, restore, clear, record, follow };
})();
