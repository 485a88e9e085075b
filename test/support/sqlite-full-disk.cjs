// Preloaded into a collector process (`node --require`, so its writer thread too): every
// SQLite connection may not grow the file past the pages it has when it opens
// (`max_page_count`), as on a full disk. Writes that fit in free pages succeed; the
// first that needs a new page fails with SQLITE_FULL, until pages are freed.
const Database = require('better-sqlite3');

const prepare = Database.prototype.prepare;
const capped = new WeakSet();
Database.prototype.prepare = function (...args) {
  if (!capped.has(this)) {
    capped.add(this);
    this.pragma(`max_page_count = ${this.pragma('page_count', { simple: true })}`);
  }
  return prepare.apply(this, args);
};
