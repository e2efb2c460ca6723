/*
 * Saved progress: the ticks of onboarding path steps and of the competency matrix's
 * "I do this", kept in this browser (loaded only on those pages; no library).
 *
 * One localStorage entry, STORAGE_KEY, holds {"<key>": "<date ticked, YYYY-MM-DD>"} for
 * every ticked box. Keys are "<path-id>/<step-id>" for steps and
 * "matrix/<activity-id>/<level>" for the matrix: ids, not positions, so reordering or
 * adding steps later leaves saved progress where it belongs.
 *
 * The page binds every <input type="checkbox" data-progress-key>, every
 * [data-progress-meter] (a <progress> and "n of m done" for the boxes inside the element
 * it names, or the whole page) and the [data-progress-tools] buttons: export to a JSON
 * file, import one (validated completely before anything is stored), and reset the
 * page's own ticks after a confirmation. Text is only ever set with textContent.
 */
(() => {
  "use strict";
  const STORAGE_KEY = "backend-handbook:progress:v1";
  const FORMAT = "backend-handbook-progress";
  const VERSION = 1;
  const ID = "[a-z0-9]+(?:-[a-z0-9]+)*";
  // The seniority levels come from the page (the script tag's data-levels, from activity.schema.json).
  const LEVELS = ((document.currentScript && document.currentScript.dataset.levels) || "").split(/\s+/).filter(Boolean);
  const KEY = new RegExp(`^(?:matrix/${ID}/(?:${LEVELS.join("|") || "(?!)"})|(?!matrix/)${ID}/${ID})$`);
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const MAX_BYTES = 1000000;
  const MAX_ITEMS = 10000;

  const boxes = Array.from(document.querySelectorAll('input[type="checkbox"][data-progress-key]'));
  if (!boxes.length) return;
  const meters = Array.from(document.querySelectorAll("[data-progress-meter]"));
  const tools = document.querySelector("[data-progress-tools]");
  const message = tools && tools.querySelector("[data-progress-message]");

  // -- the store ---------------------------------------------------------------------
  /** Why ``items`` is not a valid set of ticks, or "" when it is. */
  function problemWith(items) {
    if (!items || typeof items !== "object" || Array.isArray(items)) return "its \"items\" is not an object";
    const keys = Object.keys(items);
    if (keys.length > MAX_ITEMS) return `it has more than ${MAX_ITEMS} items`;
    for (const key of keys) {
      if (!KEY.test(key)) return `"${key.slice(0, 60)}" is not the key of a step or of a matrix cell`;
      if (typeof items[key] !== "string" || !DATE.test(items[key])) return `the value of "${key}" is not a date (YYYY-MM-DD)`;
    }
    return "";
  }

  let storable = true; // false when the browser refuses storage: ticks then last for this visit
  function read() {
    let text = null;
    try {
      text = window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      storable = false;
    }
    if (!text) return {};
    try {
      const items = JSON.parse(text);
      if (!problemWith(items)) return items;
    } catch (error) { /* reported below */ }
    say("The progress saved in this browser could not be read, so the page starts empty. Import an export to restore it.", true);
    return {};
  }

  function write(next) {
    items = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch (error) {
      storable = false;
      say("This browser does not let the page save progress, so your ticks last only until you leave the page.", true);
    }
    show();
  }

  let items = read();

  // -- the page ------------------------------------------------------------------------
  function say(text, isError) {
    if (!message) return;
    message.textContent = text;
    message.classList.toggle("hb-progress-tools__message--error", Boolean(isError));
  }

  function show() {
    for (const box of boxes) box.checked = Object.prototype.hasOwnProperty.call(items, box.dataset.progressKey);
    for (const meter of meters) {
      const scope = meter.dataset.progressMeter ? document.getElementById(meter.dataset.progressMeter) : document;
      const inside = boxes.filter((box) => scope && scope.contains(box));
      const done = inside.filter((box) => box.checked).length;
      const bar = meter.querySelector("progress");
      bar.max = inside.length;
      bar.value = done;
      meter.querySelector(".hb-meter__count").textContent =
        `${done} of ${inside.length} ${meter.dataset.progressUnit || ""} done`.replace("  ", " ");
    }
  }

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  for (const box of boxes) {
    box.disabled = false;
    box.addEventListener("change", () => {
      const next = { ...read() }; // another tab may have saved since this page loaded
      if (box.checked) next[box.dataset.progressKey] = today();
      else delete next[box.dataset.progressKey];
      write(next);
    });
  }
  // Ticks made in another tab appear here too.
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY || event.key === null) {
      items = read();
      show();
    }
  });

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  /** "5 steps in 2 paths and 3 matrix ticks" */
  function describe(someItems) {
    const keys = Object.keys(someItems);
    const matrix = keys.filter((key) => key.startsWith("matrix/")).length;
    const steps = keys.length - matrix;
    const paths = new Set(keys.filter((key) => !key.startsWith("matrix/")).map((key) => key.split("/")[0])).size;
    const parts = [];
    if (steps) parts.push(`${plural(steps, "step", "steps")} in ${plural(paths, "path", "paths")}`);
    if (matrix) parts.push(plural(matrix, "matrix tick", "matrix ticks"));
    return parts.join(" and ") || "no ticks";
  }

  // -- export, import, reset -----------------------------------------------------------
  function exportFile() {
    const current = read();
    const sorted = Object.fromEntries(Object.keys(current).sort().map((key) => [key, current[key]]));
    const document_ = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), items: sorted };
    const blob = new Blob([JSON.stringify(document_, null, 2) + "\n"], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `backend-handbook-progress-${today()}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    say(`Exported ${describe(sorted)} to ${link.download}. Import the file in another browser to carry on there.`);
  }

  /** The items of a progress file, or an Error saying why it is refused. */
  function parseFile(text) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return new Error("the file is not JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || parsed.format !== FORMAT) {
      return new Error(`it is not a Backend Handbook progress file (it has no "format": "${FORMAT}")`);
    }
    if (parsed.version !== VERSION) {
      return new Error(typeof parsed.version === "number" && parsed.version > VERSION
        ? `it was made by a newer version of the handbook (version ${parsed.version}); this page reads version ${VERSION}`
        : `its "version" is not ${VERSION}`);
    }
    if (typeof parsed.exported !== "string" || Number.isNaN(Date.parse(parsed.exported))) {
      return new Error('its "exported" date is missing or not a date');
    }
    const problem = problemWith(parsed.items);
    return problem ? new Error(problem) : parsed.items;
  }

  async function importFile(file) {
    const refuse = (why) => say(`Not imported: ${why}. Your saved progress is unchanged.`, true);
    if (file.size > MAX_BYTES) return refuse("the file is larger than a progress export can be");
    let text;
    try {
      text = await file.text();
    } catch (error) {
      return refuse("the file could not be read");
    }
    const imported = parseFile(text);
    if (imported instanceof Error) return refuse(imported.message);
    const current = read();
    const replacing = Object.keys(current).length > 0 && JSON.stringify(current) !== JSON.stringify(imported);
    if (replacing && !window.confirm(
      `Replace the progress saved in this browser (${describe(current)}) with the file's (${describe(imported)})?`)) {
      return say("Import cancelled. Your saved progress is unchanged.");
    }
    write({ ...imported });
    say(`Imported ${describe(imported)} from ${file.name}.`);
  }

  function reset() {
    const scope = tools.dataset.progressScope;
    const current = read();
    const mine = Object.keys(current).filter((key) => key.startsWith(scope));
    const name = tools.dataset.progressScopeName;
    if (!mine.length) return say(`Nothing to reset: no ticks are saved for ${name}.`);
    if (!window.confirm(`Clear the ${plural(mine.length, "tick", "ticks")} saved for ${name} in this browser? Export first if you want a copy.`)) {
      return say("Nothing was reset.");
    }
    const next = { ...current };
    for (const key of mine) delete next[key];
    write(next);
    say(`Cleared ${plural(mine.length, "tick", "ticks")} for ${name}.`);
  }

  if (tools) {
    const picker = tools.querySelector("[data-progress-import]");
    tools.addEventListener("click", (event) => {
      const action = event.target.closest("[data-progress-action]");
      if (!action) return;
      if (action.dataset.progressAction === "export") exportFile();
      else if (action.dataset.progressAction === "import") picker.click();
      else if (action.dataset.progressAction === "reset") reset();
    });
    picker.addEventListener("change", () => {
      const file = picker.files && picker.files[0];
      picker.value = ""; // choosing the same file again still reports
      if (file) importFile(file);
    });
  }

  show();
  if (!storable) say("This browser does not let the page save progress, so your ticks last only until you leave the page.", true);
})();
