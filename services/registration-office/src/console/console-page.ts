// The back-office console: one static page and its script, served by the service at `/` (issue 5 §7). Plain HTML
// and JavaScript, no build step; the script talks only to this service's API with the worker's bearer token, and
// builds the page with textContent (never innerHTML with data), so case data cannot inject markup. The text is
// Vietnamese first, with English available.

/** The page. */
export const CONSOLE_HTML = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Liên Thông — Văn phòng đăng ký đất đai</title>
<link rel="stylesheet" href="/console.css">
</head>
<body>
<header>
  <strong id="title">Liên Thông — Văn phòng đăng ký đất đai</strong>
  <nav>
    <a href="#/worklist" id="nav-worklist">Danh sách hồ sơ</a>
    <a href="#/dashboard" id="nav-dashboard">Tổng quan</a>
  </nav>
  <span id="who"></span>
  <button id="lang" type="button">English</button>
  <button id="sign-out" type="button" hidden>Đăng xuất</button>
</header>
<main id="app"></main>
<div id="toast" role="status" aria-live="polite"></div>
<script src="/console.js"></script>
</body>
</html>
`;

/** The stylesheet. */
export const CONSOLE_CSS = `
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f9; font-size: 14px; }
header { display: flex; gap: 16px; align-items: center; padding: 10px 16px; background: #0b4f8a; color: #fff; }
header a { color: #fff; margin-right: 12px; }
header #who { margin-left: auto; }
main { padding: 16px; }
/* A class, not a style attribute: the CSP allows no inline style. */
input.narrow { width: 5em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #dde1e6; padding: 6px 8px; text-align: left; vertical-align: top; }
tr[data-code] { cursor: pointer; }
tr[data-code]:hover { background: #eef4fb; }
td .reasons { font-size: 11px; color: #555; }
.badge { display: inline-block; padding: 1px 6px; border-radius: 8px; font-size: 12px; margin-right: 4px; }
.late { background: #fde2e1; color: #a4161a; }
.paused { background: #fff3cd; color: #7a5b00; }
.ok { background: #dff5e3; color: #1e6b30; }
.panel { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px; margin-bottom: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
form.filters, form.action { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
label { display: flex; flex-direction: column; font-size: 12px; gap: 2px; }
button { cursor: pointer; padding: 5px 10px; }
button.act { margin: 0 6px 6px 0; }
#toast { position: fixed; bottom: 12px; right: 12px; max-width: 480px; }
#toast div { background: #333; color: #fff; padding: 8px 12px; border-radius: 4px; margin-top: 6px; }
#toast div.error { background: #a4161a; }
textarea { width: 320px; height: 60px; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
`;

/** The script. */
export const CONSOLE_JS = `'use strict';
(function () {
  var T = {
    vi: {
      signIn: 'Đăng nhập', token: 'Mã truy cập (JWT của cán bộ)', signOut: 'Đăng xuất', worklist: 'Danh sách hồ sơ',
      dashboard: 'Tổng quan', code: 'Mã hồ sơ', procedure: 'Thủ tục', commune: 'Xã', state: 'Trạng thái',
      land: 'Thửa đất', branch: 'Chi nhánh', multiBranch: 'Thửa đất thuộc cả chi nhánh khác', move: 'Chuyển chi nhánh',
      moveReason: 'Lý do chuyển',
      due: 'Hạn trả', remaining: 'Còn lại (giờ làm việc)', claim: 'Người xử lý', filter: 'Lọc', overdue: 'Quá hạn',
      dueWithin: 'Đến hạn trong (ngày làm việc)', all: 'Tất cả', next: 'Trang sau', paused: 'Tạm dừng',
      running: 'Đang tính', late: 'Trễ hạn', clock: 'Thời hạn giải quyết', receivedAt: 'Ngày nhận',
      baseDue: 'Hạn ban đầu', pauses: 'Thời gian tạm dừng', persons: 'Người liên quan', role: 'Vai trò',
      name: 'Họ tên', id: 'Số định danh', verdict: 'Đối chiếu CSDL dân cư', documents: 'Giấy tờ',
      history: 'Quá trình xử lý', audit: 'Nhật ký kiểm toán', actions: 'Thao tác', claimBtn: 'Nhận xử lý',
      release: 'Trả lại', reason: 'Lý do', missing: 'Giấy tờ cần bổ sung (mỗi dòng một loại)', send: 'Thực hiện',
      cancel: 'Huỷ', intact: 'Chuỗi băm nguyên vẹn', broken: 'Chuỗi băm bị sửa đổi', open: 'Đang mở',
      byState: 'Theo trạng thái', byCommune: 'Theo xã', dueSoon: 'Sắp đến hạn', supplements: 'Số lần yêu cầu bổ sung',
      kpiLate: 'Tính là trễ hạn (chỉ số quốc gia)', taxAuthority: 'Mã cơ quan thuế', taxNotice: 'Số thông báo thuế',
      amount: 'Số tiền (VND)', serial: 'Số phát hành GCN', newDue: 'Ngày hẹn trả mới (ngày làm việc)', channel: 'Hình thức trả', person: 'Người (số thứ tự)',
      override: 'Bỏ qua cảnh báo', assignTo: 'Giao cho (mã cán bộ)', assign: 'Phân công', none: 'Không có',
      signedInAs: 'Cán bộ', notFound: 'Không tìm thấy hồ sơ', done: 'Đã thực hiện', minutes: 'phút',
      STATES: { RECEIVED: 'Đã tiếp nhận', ASSIGNED: 'Đã phân công', IN_REVIEW: 'Đang thẩm định', FIELD_CHECK: 'Kiểm tra thực địa',
        PUBLIC_POSTING: 'Niêm yết công khai', SUPPLEMENT_REQUESTED: 'Chờ bổ sung', AWAITING_FINANCIAL_OBLIGATION: 'Chờ nghĩa vụ tài chính',
        OBLIGATION_MET: 'Đã hoàn thành nghĩa vụ tài chính', APPROVED: 'Đã phê duyệt', CERTIFICATE_ISSUED: 'Đã cấp GCN',
        RESULT_RETURNED: 'Đã trả kết quả', REJECTED: 'Từ chối', WITHDRAWN: 'Đã rút', STOPPED: 'Dừng xử lý' },
      ACTIONS: { START_REVIEW: 'Bắt đầu thẩm định', REQUEST_SUPPLEMENT: 'Yêu cầu bổ sung', START_FIELD_CHECK: 'Kiểm tra thực địa',
        END_FIELD_CHECK: 'Kết thúc kiểm tra thực địa', START_POSTING: 'Niêm yết công khai', END_POSTING: 'Kết thúc niêm yết',
        SEND_TO_TAX: 'Chuyển cơ quan thuế', RECORD_OBLIGATION_MET: 'Ghi nhận hoàn thành nghĩa vụ tài chính', APPROVE: 'Phê duyệt',
        ISSUE_CERTIFICATE: 'Cấp giấy chứng nhận', RETURN_RESULT: 'Trả kết quả', REJECT: 'Từ chối', STOP: 'Dừng xử lý',
        OVERRIDE_MATCH: 'Bỏ qua cảnh báo đối chiếu', ISSUE_APOLOGY: 'Phiếu xin lỗi, hẹn lại ngày trả (mẫu 04)' }
    },
    en: {
      signIn: 'Sign in', token: 'Access token (worker JWT)', signOut: 'Sign out', worklist: 'Worklist',
      dashboard: 'Dashboard', code: 'Dossier code', procedure: 'Procedure', commune: 'Commune', state: 'State',
      land: 'Land', branch: 'Branch', multiBranch: 'Parcels also in another branch', move: 'Move to branch',
      moveReason: 'Reason for the move',
      due: 'Due', remaining: 'Remaining (working hours)', claim: 'Claimed by', filter: 'Filter', overdue: 'Overdue',
      dueWithin: 'Due within (working days)', all: 'All', next: 'Next page', paused: 'Paused', running: 'Running',
      late: 'Late', clock: 'Statutory clock', receivedAt: 'Received', baseDue: 'Original due date',
      pauses: 'Pauses', persons: 'Persons', role: 'Role', name: 'Name', id: 'Identification number',
      verdict: 'Population database check', documents: 'Documents', history: 'Timeline', audit: 'Audit trail',
      actions: 'Actions', claimBtn: 'Claim', release: 'Release', reason: 'Reason',
      missing: 'Missing documents (one per line)', send: 'Apply', cancel: 'Cancel', intact: 'Hash chain intact',
      broken: 'Hash chain tampered', open: 'Open', byState: 'By state', byCommune: 'By commune', dueSoon: 'Due soon',
      supplements: 'Supplement requests', kpiLate: 'Counted late (national KPI)', taxAuthority: 'Tax authority code',
      taxNotice: 'Tax notice number', amount: 'Amount (VND)', serial: 'Certificate issue number', newDue: 'New due date (a working day)', channel: 'Return channel',
      person: 'Person (index)', override: 'Override', assignTo: 'Assign to (user id)', assign: 'Assign', none: 'None',
      signedInAs: 'Worker', notFound: 'Case not found', done: 'Done', minutes: 'min',
      STATES: { RECEIVED: 'Received', ASSIGNED: 'Assigned', IN_REVIEW: 'In review', FIELD_CHECK: 'Field check',
        PUBLIC_POSTING: 'Public posting', SUPPLEMENT_REQUESTED: 'Supplement requested', AWAITING_FINANCIAL_OBLIGATION: 'Awaiting financial obligation',
        OBLIGATION_MET: 'Obligation met', APPROVED: 'Approved', CERTIFICATE_ISSUED: 'Certificate issued',
        RESULT_RETURNED: 'Result returned', REJECTED: 'Rejected', WITHDRAWN: 'Withdrawn', STOPPED: 'Stopped' },
      ACTIONS: { START_REVIEW: 'Start review', REQUEST_SUPPLEMENT: 'Request supplement', START_FIELD_CHECK: 'Start field check',
        END_FIELD_CHECK: 'End field check', START_POSTING: 'Start public posting', END_POSTING: 'End public posting',
        SEND_TO_TAX: 'Send to tax', RECORD_OBLIGATION_MET: 'Record obligation met', APPROVE: 'Approve',
        ISSUE_CERTIFICATE: 'Issue certificate', RETURN_RESULT: 'Return result', REJECT: 'Reject', STOP: 'Stop',
        OVERRIDE_MATCH: 'Override match verdict', ISSUE_APOLOGY: 'Apology letter with a new due date (form 04)' }
    }
  };
  // The dossier's files (attachments by reference, downloaded from the object store through the API).
  Object.assign(T.vi, { attachments: 'Tệp đính kèm của hồ sơ', download: 'Tải về', scan: 'Bản quét GCN (PDF, JPEG, PNG)',
    upload: 'Tải lên', uploaded: 'Đã tải lên', STEPS: { SUBMISSION: 'Nộp hồ sơ', SUPPLEMENT: 'Bổ sung lần ', LRO_RESULT: 'Kết quả của VPĐK' } });
  Object.assign(T.en, { attachments: "The dossier's files", download: 'Download', scan: 'Certificate scan (PDF, JPEG, PNG)',
    upload: 'Upload', uploaded: 'Uploaded', STEPS: { SUBMISSION: 'Submission', SUPPLEMENT: 'Supplement ', LRO_RESULT: 'LRO result' } });
  var lang = localStorage.getItem('lt.lang') || 'vi';
  var t = function (key) { return T[lang][key] || key; };
  var stateName = function (s) { return T[lang].STATES[s] || s; };
  var actionName = function (a) { return T[lang].ACTIONS[a] || a; };
  var app = document.getElementById('app');

  function h(tag, attrs) {
    var el = document.createElement(tag);
    var kids = Array.prototype.slice.call(arguments, 2);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'on') Object.keys(v).forEach(function (e) { el.addEventListener(e, v[e]); });
      else if (k === 'text') el.textContent = String(v);
      else el.setAttribute(k, v === true ? '' : String(v));
    });
    kids.forEach(function (kid) {
      if (kid === undefined || kid === null || kid === false) return;
      el.appendChild(typeof kid === 'string' || typeof kid === 'number' ? document.createTextNode(String(kid)) : kid);
    });
    return el;
  }
  function toast(message, error) {
    var box = h('div', { class: error ? 'error' : '', text: message });
    document.getElementById('toast').appendChild(box);
    setTimeout(function () { box.remove(); }, 6000);
  }
  function token() { return sessionStorage.getItem('lt.token'); }
  function claims() {
    try { return JSON.parse(atob(token().split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch (e) { return {}; }
  }
  function api(method, path, body, headers) {
    var init = { method: method, headers: Object.assign({ authorization: 'Bearer ' + token() }, headers || {}) };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (text) {
        var data = text ? JSON.parse(text) : undefined;
        if (r.status === 401) { sessionStorage.removeItem('lt.token'); route(); }
        if (!r.ok) throw Object.assign(new Error((data && (data.detail || data.title)) || r.statusText), { status: r.status, problem: data });
        return data;
      });
    });
  }
  function fmt(iso) {
    if (!iso) return '';
    return new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
  }
  function hours(minutes) { return (minutes / 60).toFixed(1); }
  function clockBadges(item) {
    return h('span', null,
      item.late ? h('span', { class: 'badge late', text: t('late') }) : null,
      item.paused ? h('span', { class: 'badge paused', text: t('paused') }) : h('span', { class: 'badge ok', text: t('running') }));
  }

  function signIn() {
    var input = h('textarea', { id: 'token', 'aria-label': t('token') });
    app.replaceChildren(h('div', { class: 'panel' }, h('h2', { text: t('signIn') }),
      h('label', null, t('token'), input),
      h('p', null, h('button', { id: 'sign-in', type: 'button', text: t('signIn'), on: { click: function () {
        sessionStorage.setItem('lt.token', input.value.trim());
        location.hash = '#/worklist'; route();
      } } }))));
  }

  function worklist(params) {
    var form = h('form', { class: 'filters', id: 'filters' });
    var stateSelect = h('select', { name: 'state' }, h('option', { value: '', text: t('all') }));
    Object.keys(T[lang].STATES).forEach(function (s) { stateSelect.appendChild(h('option', { value: s, text: stateName(s), selected: params.state === s })); });
    form.append(
      h('label', null, t('state'), stateSelect),
      h('label', null, t('procedure'), h('input', { name: 'procedureCode', value: params.procedureCode || '', size: 9 })),
      h('label', null, t('commune'), h('input', { name: 'communeCode', value: params.communeCode || '', size: 6 })),
      h('label', null, t('overdue'), h('input', { name: 'overdue', type: 'checkbox', checked: params.overdue === 'true' })),
      h('label', null, t('dueWithin'), h('input', { name: 'dueWithinWorkingDays', type: 'number', min: 0, value: params.dueWithinWorkingDays || '', class: 'narrow' })),
      h('button', { type: 'submit', text: t('filter') }));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var q = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (k === 'overdue') q.set(k, 'true'); else if (v) q.set(k, String(v)); });
      location.hash = '#/worklist?' + q.toString();
    });
    var body = h('tbody');
    var table = h('table', { id: 'worklist' }, h('thead', null, h('tr', null,
      h('th', { text: t('code') }), h('th', { text: t('procedure') }), h('th', { text: t('commune') }), h('th', { text: t('state') }),
      h('th', { text: t('due') }), h('th', { text: t('remaining') }), h('th', { text: t('claim') }))), body);
    var more = h('p');
    app.replaceChildren(h('h2', { text: t('worklist') }), form, table, more);
    function load(cursor) {
      var q = new URLSearchParams(params); if (cursor) q.set('cursor', cursor);
      api('GET', '/v1/worklist?' + q.toString()).then(function (page) {
        page.items.forEach(function (item) {
          body.appendChild(h('tr', { 'data-code': item.dossierCode, on: { click: function () { location.hash = '#/case/' + encodeURIComponent(item.dossierCode); } } },
            h('td', { class: 'mono', text: item.dossierCode }), h('td', { text: item.procedureCode, title: item.procedure ? item.procedure.name[lang] : null }),
            h('td', { text: item.commune ? item.commune.name : item.communeCode, title: item.communeCode }),
            h('td', null, stateName(item.state), ' ', item.blockedPersons ? h('span', { class: 'badge late', text: '⚠ ' + item.blockedPersons }) : null),
            h('td', null, fmt(item.dueAt), ' ', clockBadges(item)), h('td', { text: hours(item.remainingWorkingMinutes) }),
            h('td', { text: item.claim ? item.claim.userId : '' })));
        });
        more.replaceChildren(page.nextCursor ? h('button', { id: 'next-page', type: 'button', text: t('next'), on: { click: function () { load(page.nextCursor); } } }) : '');
      }).catch(function (e) { toast(e.message, true); });
    }
    load();
  }

  function detailsFor(action, fields) {
    var reason = h('textarea', { id: 'f-reason' });
    var rows = [];
    var read = function () { return { reason: reason.value.trim() || undefined, details: undefined }; };
    var needsReason = ['REQUEST_SUPPLEMENT', 'REJECT', 'STOP', 'OVERRIDE_MATCH', 'ISSUE_APOLOGY'].indexOf(action) >= 0;
    if (action === 'REQUEST_SUPPLEMENT') {
      var missing = h('textarea', { id: 'f-missing' });
      rows.push(h('label', null, t('missing'), missing));
      read = function () { return { reason: reason.value.trim(), details: { missingDocuments: missing.value.split('\\n').map(function (s) { return s.trim(); }).filter(Boolean).map(function (name) { return { name: name }; }) } }; };
    } else if (action === 'SEND_TO_TAX') {
      var tax = h('input', { id: 'f-tax', value: fields.defaultTax || '' });
      rows.push(h('label', null, t('taxAuthority'), tax));
      read = function () { return { details: { taxAuthorityCode: tax.value.trim() } }; };
    } else if (action === 'RECORD_OBLIGATION_MET') {
      var notice = h('input', { id: 'f-notice' }); var amount = h('input', { id: 'f-amount', type: 'number', min: 0 });
      rows.push(h('label', null, t('taxNotice'), notice), h('label', null, t('amount'), amount));
      read = function () { return { details: { taxNoticeNumber: notice.value.trim(), amount: Number(amount.value) } }; };
    } else if (action === 'ISSUE_CERTIFICATE') {
      var serial = h('input', { id: 'f-serial' });
      // The scan is uploaded first (hashed here, checked by the server), then named in the action's details.
      var scanSha; var scanFile = h('input', { id: 'f-scan', type: 'file', accept: 'application/pdf,image/jpeg,image/png' });
      var scanState = h('span', { id: 'f-scan-state', class: 'mono' });
      var uploadScan = function () {
        var file = scanFile.files[0]; if (!file) return;
        file.arrayBuffer().then(function (bytes) {
          return crypto.subtle.digest('SHA-256', bytes).then(function (digest) {
            var sha = Array.prototype.map.call(new Uint8Array(digest), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
            return fetch('/v1/cases/' + encodeURIComponent(fields.code) + '/attachments/' + sha, { method: 'PUT', headers: { authorization: 'Bearer ' + token(), 'content-type': file.type }, body: bytes })
              .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.detail || body.title || r.statusText); scanSha = sha; scanState.textContent = t('uploaded') + ': ' + sha.slice(0, 12); }); });
          });
        }).catch(function (e) { toast(e.message, true); });
      };
      rows.push(h('label', null, t('serial'), serial),
        h('label', null, t('scan'), scanFile, h('button', { id: 'f-scan-upload', type: 'button', text: t('upload'), on: { click: uploadScan } }), scanState));
      read = function () { return { details: Object.assign({ certificateSerial: serial.value.trim() }, scanSha ? { certificateScanSha256: scanSha } : {}) }; };
    } else if (action === 'RETURN_RESULT') {
      var channel = h('select', { id: 'f-channel' }, h('option', { value: 'DIRECT', text: 'DIRECT' }), h('option', { value: 'POSTAL', text: 'POSTAL' }), h('option', { value: 'ONLINE', text: 'ONLINE' }));
      rows.push(h('label', null, t('channel'), channel));
      read = function () { return { details: { returnChannel: channel.value } }; };
    } else if (action === 'ISSUE_APOLOGY') {
      var newDue = h('input', { id: 'f-newdue', type: 'date' });
      rows.push(h('label', null, t('newDue'), newDue));
      read = function () { return { reason: reason.value.trim(), details: { newDueAt: newDue.value } }; };
    } else if (action === 'OVERRIDE_MATCH') {
      var person = h('input', { id: 'f-person', type: 'number', min: 0, value: fields.person });
      rows.push(h('label', null, t('person'), person));
      read = function () { return { reason: reason.value.trim(), details: { person: Number(person.value) } }; };
    }
    var base = read;
    return { rows: [h('label', null, t('reason') + (needsReason ? ' *' : ''), reason)].concat(rows), read: function () {
      var r = base(); if (!r.reason && reason.value.trim()) r.reason = reason.value.trim(); return r;
    } };
  }

  function caseDetail(code) {
    api('GET', '/v1/cases/' + encodeURIComponent(code)).then(function (c) {
      var me = claims().sub;
      var clock = c.clock;
      var actions = h('div', { id: 'actions' });
      var form = h('div', { id: 'action-form' });
      var act = function (path, body, headers) {
        return api('POST', '/v1/cases/' + encodeURIComponent(code) + path, body, headers).then(function () { toast(t('done')); caseDetail(code); })
          .catch(function (e) { toast(e.message, true); });
      };
      if (c.claim && c.claim.userId === me) actions.appendChild(h('button', { class: 'act', 'data-action': 'RELEASE', type: 'button', text: t('release'), on: { click: function () { act('/release'); } } }));
      else actions.appendChild(h('button', { class: 'act', 'data-action': 'CLAIM', type: 'button', text: t('claimBtn'), on: { click: function () { act('/claim'); } } }));
      if ((claims().roles || []).indexOf('supervisor') >= 0) {
        var who = h('input', { id: 'f-assign', size: 12 });
        actions.appendChild(h('span', null, who, h('button', { class: 'act', 'data-action': 'ASSIGN', type: 'button', text: t('assign'), on: { click: function () { act('/assign', { userId: who.value.trim() }); } } })));
        // A misrouted case goes to another branch of the province (ADR 0008); afterwards it is no longer ours to see.
        var target = h('input', { id: 'f-move-branch', size: 12, placeholder: 'KH-...' });
        var why = h('input', { id: 'f-move-reason', size: 24, placeholder: t('moveReason') });
        actions.appendChild(h('span', null, target, why, h('button', { class: 'act', 'data-action': 'MOVE', type: 'button', text: t('move'), on: { click: function () {
          api('POST', '/v1/cases/' + encodeURIComponent(code) + '/move', { branchCode: target.value.trim(), reason: why.value.trim() }, { 'idempotency-key': crypto.randomUUID() })
            .then(function (r) { toast(t('done') + ': ' + r.branchCode); location.hash = '#/'; })
            .catch(function (e) { toast(e.message, true); });
        } } })));
      }
      c.availableActions.forEach(function (a) {
        actions.appendChild(h('button', { class: 'act', 'data-action': a, type: 'button', text: actionName(a), on: { click: function () {
          var blocked = c.persons.filter(function (p) { return (p.verdict === 'MISMATCH' || p.verdict === 'NEEDS_REVIEW') && !p.override; });
          var d = detailsFor(a, { person: blocked.length ? blocked[0].index : 0, code: code });
          var f = h('form', { class: 'action', 'data-form': a }, h('strong', { text: actionName(a) }));
          d.rows.forEach(function (r) { f.appendChild(r); });
          f.append(h('button', { id: 'f-submit', type: 'submit', text: t('send') }), h('button', { type: 'button', text: t('cancel'), on: { click: function () { form.replaceChildren(); } } }));
          f.addEventListener('submit', function (e) {
            e.preventDefault();
            var input = d.read();
            act('/transitions', Object.assign({ action: a }, input.reason ? { reason: input.reason } : {}, input.details ? { details: input.details } : {}), { 'idempotency-key': crypto.randomUUID() });
          });
          form.replaceChildren(f);
        } } }));
      });
      var pauses = h('ul', { id: 'pauses' });
      clock.pausedIntervals.forEach(function (p) { pauses.appendChild(h('li', null, stateName(p.state) + ': ' + fmt(p.from) + ' → ' + (p.to ? fmt(p.to) : '…'))); });
      var persons = h('tbody');
      c.persons.forEach(function (p) {
        persons.appendChild(h('tr', null, h('td', { text: p.index }), h('td', { text: p.roleLabel ? p.roleLabel[lang] : p.role, title: p.role }), h('td', { text: p.fullName }), h('td', { class: 'mono', text: p.maskedPersonalId }),
          h('td', { title: p.verdict || null }, p.verdictLabel ? p.verdictLabel[lang] : p.verdict || '…', p.override ? h('span', { class: 'badge ok', text: t('override') + ': ' + p.override.reason }) : null,
            p.reasons && p.reasons.length ? h('div', { class: 'mono reasons', text: p.reasons.join(' · ') }) : null)));
      });
      var history = h('ol', { id: 'timeline' });
      c.history.forEach(function (e) { history.appendChild(h('li', null, fmt(e.at) + ' — ' + stateName(e.state) + (e.action ? ' (' + actionName(e.action) + ')' : '') + ' — ' + e.by + (e.note ? ': ' + e.note : ''))); });
      var docs = h('ul', { id: 'documents' });
      c.documents.forEach(function (d) { docs.appendChild(h('li', null, h('strong', { text: d.kind + ' ' + d.number }), h('pre', { text: d.content }))); });
      if (!c.documents.length) docs.appendChild(h('li', { text: t('none') }));
      var files = h('ul', { id: 'attachments' });
      var download = function (a) {
        fetch('/v1/cases/' + encodeURIComponent(code) + '/attachments/' + a.sha256, { headers: { authorization: 'Bearer ' + token() } })
          .then(function (r) {
            if (!r.ok) throw new Error(r.status === 404 ? t('notFound') : r.statusText);
            var named = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') || '');
            return r.blob().then(function (blob) { return { blob: blob, name: named ? named[1] : a.sha256 }; });
          })
          .then(function (f) {
            var url = URL.createObjectURL(f.blob); var link = h('a', { href: url, download: f.name });
            document.body.appendChild(link); link.click(); link.remove(); setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          })
          .catch(function (e) { toast(e.message, true); });
      };
      (c.attachments || []).forEach(function (a) {
        var step = T[lang].STEPS[a.addedWith] + (a.addedWith === 'SUPPLEMENT' ? a.supplementRequestNumber : '');
        files.appendChild(h('li', { 'data-sha256': a.sha256 }, h('strong', { text: a.label[lang], title: a.kind }),
          ' — ' + step + ' · ' + a.mediaType + ' · ' + Math.ceil(a.sizeBytes / 1024) + ' KB ',
          h('button', { class: 'download', type: 'button', text: t('download'), on: { click: function () { download(a); } } })));
      });
      if (!(c.attachments || []).length) files.appendChild(h('li', { text: t('none') }));
      var audit = h('div', { id: 'audit' });
      app.replaceChildren(
        h('h2', null, h('span', { class: 'mono', text: c.dossierCode }), ' — ', h('span', { id: 'case-state', 'data-state': c.state, text: stateName(c.state) })),
        // Names next to codes (ADR 0008 for the branch): the procedure, where it was received, where the land lies.
        h('p', { id: 'case-names' },
          h('strong', { text: c.procedure ? c.procedure.name[lang] + (c.procedure.case ? ' — ' + c.procedure.case.name[lang] : '') : c.procedureCode }),
          h('br'), t('commune') + ': ' + (c.commune ? c.commune.fullName + ', ' + c.commune.provinceName : c.communeCode),
          ' · ' + t('land') + ': ' + c.parcels.map(function (p) { return (p.commune ? p.commune.fullName : p.communeCode) + ' (' + p.mapSheetNumber + '/' + p.parcelNumber + ')'; }).join('; '),
          h('br'), t('branch') + ': ' + (c.branch ? c.branch.name : c.branchCode || ''),
          c.multiBranch ? h('span', { class: 'badge late', text: t('multiBranch') + ': ' + c.otherBranches.map(function (b) { return b.name; }).join(', ') }) : null),
        h('div', { class: 'grid' },
          h('div', { class: 'panel', id: 'clock' }, h('h3', { text: t('clock') }),
            h('p', { id: 'clock-status', 'data-paused': String(clock.paused), 'data-late': String(clock.late) }, clockBadges(clock)),
            h('p', null, t('receivedAt') + ': ' + fmt(clock.receivedAt)), h('p', null, t('baseDue') + ': ' + fmt(clock.baseDueAt)),
            h('p', { id: 'clock-due' }, t('due') + ': ' + fmt(clock.dueAt)),
            h('p', { id: 'clock-remaining' }, t('remaining') + ': ' + hours(clock.remainingWorkingMinutes)),
            h('p', null, t('supplements') + ': ' + clock.supplementRequests + (clock.secondSupplementRequested ? ' ⚠' : '')),
            h('p', null, t('kpiLate') + ': ' + (clock.countsAsLateForKpi ? '✔' : '—')),
            h('h4', { text: t('pauses') }), pauses),
          h('div', { class: 'panel' }, h('h3', { text: t('actions') }),
            h('p', null, t('claim') + ': ' + (c.claim ? c.claim.userId + ' (' + fmt(c.claim.until) + ')' : t('none'))), actions, form)),
        h('div', { class: 'panel' }, h('h3', { text: t('persons') }), h('table', { id: 'persons' }, h('thead', null, h('tr', null,
          h('th', { text: '#' }), h('th', { text: t('role') }), h('th', { text: t('name') }), h('th', { text: t('id') }), h('th', { text: t('verdict') }))), persons)),
        h('div', { class: 'grid' },
          h('div', { class: 'panel' }, h('h3', { text: t('history') }), history),
          h('div', { class: 'panel' }, h('h3', { text: t('documents') }), docs)),
        h('div', { class: 'panel' }, h('h3', { text: t('attachments') }), files),
        h('div', { class: 'panel' }, h('h3', { text: t('audit') }), audit));
      api('GET', '/v1/cases/' + encodeURIComponent(code) + '/audit').then(function (a) {
        var rows = h('tbody');
        a.entries.forEach(function (e) { rows.appendChild(h('tr', null, h('td', { text: e.seq }), h('td', { text: fmt(e.at) }), h('td', { text: e.actor }), h('td', { text: e.kind + ' ' + e.what }),
          h('td', { text: (e.fromState || '') + (e.toState ? ' → ' + e.toState : '') }), h('td', { text: e.reason || '' }), h('td', { class: 'mono', text: e.hash.slice(0, 16) }))); });
        audit.replaceChildren(h('p', { id: 'audit-status', class: a.intact ? 'badge ok' : 'badge late', text: a.intact ? t('intact') : t('broken') }), h('table', null, rows));
      }).catch(function (e) { toast(e.message, true); });
    }).catch(function (e) { app.replaceChildren(h('p', { text: e.status === 404 ? t('notFound') : e.message })); });
  }

  function dashboard() {
    api('GET', '/v1/dashboard').then(function (d) {
      var states = h('tbody'); Object.keys(d.byState).forEach(function (s) { states.appendChild(h('tr', null, h('td', { text: stateName(s) }), h('td', { text: d.byState[s] }))); });
      var communes = h('tbody'); Object.keys(d.byCommune).forEach(function (c) { var x = d.byCommune[c]; communes.appendChild(h('tr', null, h('td', { text: c }), h('td', { text: x.open }), h('td', { text: x.overdue }), h('td', { text: x.dueSoon }))); });
      app.replaceChildren(h('h2', { text: t('dashboard') + ' — ' + d.branch }),
        h('div', { class: 'grid', id: 'dashboard' },
          h('div', { class: 'panel' }, h('p', { text: t('open') + ': ' + d.open }), h('p', { text: t('overdue') + ': ' + d.overdue }), h('p', { text: t('dueSoon') + ': ' + d.dueSoon })),
          h('div', { class: 'panel' }, h('h3', { text: t('byState') }), h('table', null, states)),
          h('div', { class: 'panel' }, h('h3', { text: t('byCommune') }), h('table', null, h('thead', null, h('tr', null, h('th', { text: t('commune') }), h('th', { text: t('open') }), h('th', { text: t('overdue') }), h('th', { text: t('dueSoon') }))), communes))));
    }).catch(function (e) { app.replaceChildren(h('p', { text: e.message })); });
  }

  function route() {
    document.documentElement.lang = lang;
    document.getElementById('lang').textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
    document.getElementById('nav-worklist').textContent = t('worklist');
    document.getElementById('nav-dashboard').textContent = t('dashboard');
    var out = document.getElementById('sign-out');
    out.textContent = t('signOut');
    if (!token()) { out.hidden = true; document.getElementById('who').textContent = ''; return signIn(); }
    var c = claims();
    out.hidden = false;
    document.getElementById('who').textContent = t('signedInAs') + ': ' + c.sub + ' · ' + c.branch + ' · ' + (c.roles || []).join(', ');
    var hash = location.hash || '#/worklist';
    var m = /^#\\/case\\/(.+)$/.exec(hash);
    if (m) return caseDetail(decodeURIComponent(m[1]));
    if (hash.indexOf('#/dashboard') === 0) return dashboard();
    var query = hash.split('?')[1] || '';
    var params = {}; new URLSearchParams(query).forEach(function (v, k) { params[k] = v; });
    return worklist(params);
  }
  document.getElementById('lang').addEventListener('click', function () { lang = lang === 'vi' ? 'en' : 'vi'; localStorage.setItem('lt.lang', lang); route(); });
  document.getElementById('sign-out').addEventListener('click', function () { sessionStorage.removeItem('lt.token'); route(); });
  window.addEventListener('hashchange', route);
  route();
})();
`;
