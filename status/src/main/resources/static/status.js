// Kling Relay campaign page: live counts from the campaign's Server-Sent Events, and a refresh of
// the request table (at most every 2 s) when they change. No build step, no dependencies.
(function () {
  'use strict';
  var campaign = document.body.dataset.campaign;
  if (!campaign) { return; }
  var STATES = ['queued', 'submitted', 'processing', 'generated', 'failed', 'archived'];
  var base = '/campaigns/' + encodeURIComponent(campaign);
  var live = document.getElementById('live');
  var lastRefresh = 0;
  var refreshTimer = null;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  }

  function cell(value) {
    var td = document.createElement('td');
    td.textContent = value;
    return td;
  }

  function render(c) {
    text('total', c.total);
    text('units', c.units);
    text('last-update', c.lastUpdateAt || '');
    text('oldest-waiting', c.oldestWaiting
      ? c.oldestWaiting.requestId + ' (' + c.oldestWaiting.accountId + ') since ' + c.oldestWaiting.since : 'none');
    STATES.forEach(function (s) { text('count-' + s, c.counts[s] || 0); });
    var accounts = document.getElementById('accounts-body');
    accounts.replaceChildren();
    Object.keys(c.accounts).sort().forEach(function (account) {
      var tr = document.createElement('tr');
      tr.appendChild(cell(account));
      STATES.forEach(function (s) { tr.appendChild(cell(c.accounts[account][s] || 0)); });
      accounts.appendChild(tr);
    });
    var failures = document.getElementById('failures-body');
    failures.replaceChildren();
    c.failuresByReason.forEach(function (f) {
      var tr = document.createElement('tr');
      tr.appendChild(cell(f.stage));
      tr.appendChild(cell(f.reason));
      tr.appendChild(cell(f.count));
      failures.appendChild(tr);
    });
    var done = (c.counts.archived || 0) + (c.counts.failed || 0);
    var bar = document.getElementById('progress');
    bar.style.setProperty('--done', c.total ? (100 * done / c.total) + '%' : '0%');
    bar.title = done + ' of ' + c.total + ' done';
  }

  function refreshTable() {
    refreshTimer = null;
    lastRefresh = Date.now();
    fetch(base + '/requests-table' + window.location.search)
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (rows) { document.getElementById('requests-body').innerHTML = rows; })
      .catch(function () { /* the next change retries */ });
  }

  function scheduleRefresh() {
    if (refreshTimer) { return; }
    refreshTimer = setTimeout(refreshTable, Math.max(0, 2000 - (Date.now() - lastRefresh)));
  }

  var events = new EventSource(base + '/events');
  events.addEventListener('campaign', function (e) {
    render(JSON.parse(e.data));
    scheduleRefresh();
  });
  events.onopen = function () { live.textContent = 'live'; live.className = 'live on'; };
  events.onerror = function () { live.textContent = 'reconnecting'; live.className = 'live'; };
}());
