// Patches to telegram-test-api 4.2.1 so python-telegram-bot 22 runs against it unchanged, and
// routes the tests need that the stock emulator lacks. Loaded by `start_emulator.js --extend`.
// They use Express 4 internals (app._router.stack): keep the versions pinned in package.json.
//
// Bot API (under /bot<token>/), each patch and why it exists:
//   getMe          adds is_bot and friends. Stock answers without is_bot, so PTB's
//                  Application.initialize() dies at once (User.__init__ needs is_bot). The
//                  username comes from $TG_EMU_BOT_USERNAME (stock: TestNameBot), so the tests
//                  can address /command@KonsiloBot.
//   sendMessage    answers a real Message: date in seconds (stock gives milliseconds, and PTB
//                  raises "year 58861 is out of range" after the message was stored), the chat's
//                  real type and a `from` (stock says every chat is private, from no one).
//   editMessageText, editMessageReplyMarkup
//                  answer the edited Message (stock: null, PTB raises AttributeError), 400 for an
//                  unknown message, and flag the stored message unread so the client sees the
//                  new state (stock merges edits silently into a message already read).
//   sendPhoto, sendDocument
//                  missing in stock (HTTP 500, which PTB takes for a network error and retries).
//                  Multipart uploads (or a file_id) are stored as a bot message with photo or
//                  document; the bytes are kept for the client's /getUpload.
//   setMyCommands, getMyCommands, deleteMyCommands
//                  missing in stock; kept per (scope, language_code).
//   getUpdates     long polling with Telegram's offset semantics. Stock ignores timeout and
//                  offset and marks updates read when it *sends* them: PTB then busy-polls, and
//                  a poll abandoned on stop silently eats the next updates.
//   (others)       sendChatAction and the like answer {"ok":true,"result":true}.
//   every call     is logged with its parameters (stock drops e.g. answerCallbackQuery's text),
//                  and can be made to fail on request (Telegram's 429, 403, 5xx...).
// Callback queries keep chat_instance (stock drops it, and PTB then discards the whole batch of
// updates with a CRITICAL log) and inline_message_id.
//
// Client API (JSON POST at the root), added:
//   /sendUpdate   {botToken, update}   queue any raw Update (edited_message, my_chat_member...,
//                 which stock cannot produce: it wraps everything as `message`). With an
//                 update_id the update keeps it: a redelivery, as Telegram does when a bot
//                 restarts before it confirmed the offset.
//   /injectError  {botToken, method, count?, error_code, description, parameters?}
//                 the next `count` (default 1) calls of `method` fail with that Bot API error
//                 (parameters: {retry_after} -> PTB RetryAfter, {migrate_to_chat_id}).
//   /getCallLog   {botToken, method?}  -> [{t_ms, method, chat_id, message_id, status, body}]
//   /getUpload    {id}  -> the uploaded file of a photo or document (data in base64)
'use strict';
const busboy = require('busboy');

const OK_TRUE = new Set([
  'sendChatAction', 'setMyDescription', 'setMyShortDescription', 'setMyName',
  'setChatMenuButton', 'pinChatMessage', 'unpinChatMessage', 'leaveChat',
]);
const MESSAGE_FIELDS = new Set([
  'message_id', 'date', 'chat', 'from', 'text', 'entities', 'caption', 'caption_entities',
  'reply_markup', 'photo', 'document', 'edit_date',
]);
const BOT_USER = {
  id: Number(process.env.TG_EMU_BOT_ID || 666),
  is_bot: true,
  first_name: process.env.TG_EMU_BOT_NAME || 'Test First name',
  username: process.env.TG_EMU_BOT_USERNAME || 'TestNameBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
const LONG_POLL_CAP_S = 10;

function chatFor(chatId) {
  const id = Number(chatId);
  if (id > 0) return { id, type: 'private', first_name: 'User' };
  return { id, type: String(chatId).startsWith('-100') ? 'supergroup' : 'group', title: 'Group' };
}

function asObject(v) {
  if (typeof v === 'string') {
    try { return JSON.parse(v); } catch (e) { return v; }
  }
  return v;
}

// A stored bot record (the raw request parameters) as a Bot API Message.
function toMessage(rec) {
  const m = rec.message;
  const out = {
    message_id: rec.messageId,
    date: Math.floor(rec.time / 1000),
    chat: chatFor(m.chat_id),
    from: { id: BOT_USER.id, is_bot: true, first_name: BOT_USER.first_name, username: BOT_USER.username },
  };
  for (const k of Object.keys(m)) {
    if (MESSAGE_FIELDS.has(k) && !(k in out)) out[k] = asObject(m[k]);
  }
  if (out.reply_markup && !('inline_keyboard' in out.reply_markup)) delete out.reply_markup;
  return out;
}

function parseMultipart(req) {
  return new Promise((resolve, reject) => {
    const fields = {};
    const files = {};
    const bb = busboy({ headers: req.headers });
    bb.on('field', (name, val) => { fields[name] = val; });
    bb.on('file', (name, stream, info) => {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => { files[name] = { ...info, data: Buffer.concat(chunks) }; });
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

function extend(server) {
  const app = server.webServer;
  const TS = server.constructor;
  server.callLog = [];
  server.injected = [];
  server.commands = {};
  server.files = {};
  server.pollWaiters = new Set();
  const t0 = Date.now();
  let fileSeq = 1;

  // Callback queries keep chat_instance; raw updates pass through as they were queued.
  const origFormat = TS.formatUpdate;
  TS.formatUpdate = (update) => {
    if ('rawUpdate' in update) return { ...update.rawUpdate, update_id: update.updateId };
    const u = origFormat(update);
    if (u.callback_query) {
      const cq = update.callbackQuery;
      u.callback_query.chat_instance = String(cq.chat_instance || '0');
      if (cq.inline_message_id) u.callback_query.inline_message_id = cq.inline_message_id;
    }
    return u;
  };
  const wake = () => { for (const w of [...server.pollWaiters]) w(); };
  for (const ev of ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery', 'AddedRawUpdate']) {
    server.on(ev, wake);
  }
  const origStop = server.stop.bind(server);
  server.stop = async () => { wake(); return origStop(); };

  const routes = [];
  const bot = (method, handler) => routes.push(['all', `/bot:token/${method}`, handler]);
  const client = (path, handler) => routes.push(['post', path, handler]);

  // Log and fault injection for every bot call (runs before the method's own route).
  routes.push(['all', '/bot:token/:method', (req, res, next) => {
    const { token, method } = req.params;
    const entry = {
      t_ms: Date.now() - t0, method, token,
      chat_id: req.body && req.body.chat_id,
      message_id: req.body && req.body.message_id,
      status: 200,
      body: req.is('multipart/form-data') ? '(multipart)' : req.body,
    };
    if (method !== 'getUpdates') server.callLog.push(entry);
    const inj = server.injected.find((i) => i.botToken === token && i.method === method && i.count > 0);
    if (inj) {
      inj.count -= 1;
      entry.status = inj.error_code;
      res.status(inj.error_code).json({
        ok: false, error_code: inj.error_code, description: inj.description, parameters: inj.parameters,
      });
      return;
    }
    next();
  }]);

  bot('getMe', (req, res) => res.json({ ok: true, result: BOT_USER }));

  bot('sendMessage', (req, res) => {
    server.addBotMessage(req.body, req.params.token);
    const rec = server.storage.botMessages[server.storage.botMessages.length - 1];
    res.json({ ok: true, result: toMessage(rec) });
  });

  const edit = (kind) => (req, res) => {
    const b = TS.normalizeMessage(req.body);
    const rec = server.storage.botMessages.find((u) => String(u.messageId) === String(b.message_id)
      && String(u.message.chat_id) === String(b.chat_id) && u.botToken === req.params.token);
    if (!rec) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
      return;
    }
    if (kind === 'text') server.editMessageText(b); else server.editMessageReplyMarkup(b);
    if (kind === 'markup' && !b.reply_markup) delete rec.message.reply_markup;
    rec.isRead = false;
    rec.edits = (rec.edits || 0) + 1;
    const msg = toMessage(rec);
    msg.edit_date = Math.floor(Date.now() / 1000);
    res.json({ ok: true, result: msg });
  };
  bot('editMessageText', edit('text'));
  bot('editMessageReplyMarkup', edit('markup'));

  const media = (field) => async (req, res) => {
    let params = req.body || {};
    let upload = null;
    if ((req.headers['content-type'] || '').startsWith('multipart/form-data')) {
      const { fields, files } = await parseMultipart(req);
      params = fields;
      // PTB sends the file as a part named after the parameter, or as attach://<name>.
      const ref = String(params[field] || '');
      const partName = ref.startsWith('attach://') ? ref.slice(9) : field;
      upload = files[partName] || Object.values(files)[0] || null;
    }
    const fileId = upload ? `file${fileSeq++}` : String(params[field]);
    if (upload) server.files[fileId] = upload;
    const size = upload ? upload.data.length : 0;
    const stored = { ...params };
    stored[field] = field === 'photo'
      ? [{ file_id: fileId, file_unique_id: `u${fileId}`, width: 1, height: 1, file_size: size }]
      : {
        file_id: fileId, file_unique_id: `u${fileId}`, file_name: upload && upload.filename,
        mime_type: upload && upload.mimeType, file_size: size,
      };
    if (upload) stored.upload = { filename: upload.filename, mimeType: upload.mimeType, bytes: size };
    server.addBotMessage(stored, req.params.token);
    const rec = server.storage.botMessages[server.storage.botMessages.length - 1];
    res.json({ ok: true, result: toMessage(rec) });
  };
  const safe = (h) => (req, res, next) => h(req, res, next).catch(next);
  bot('sendPhoto', safe(media('photo')));
  bot('sendDocument', safe(media('document')));

  const cmdKey = (req) => {
    const scope = JSON.stringify(asObject(req.body.scope) || { type: 'default' });
    return `${req.params.token}|${scope}|${req.body.language_code || ''}`;
  };
  bot('setMyCommands', (req, res) => {
    server.commands[cmdKey(req)] = asObject(req.body.commands) || [];
    res.json({ ok: true, result: true });
  });
  bot('getMyCommands', (req, res) => res.json({ ok: true, result: server.commands[cmdKey(req)] || [] }));
  bot('deleteMyCommands', (req, res) => {
    delete server.commands[cmdKey(req)];
    res.json({ ok: true, result: true });
  });

  // An update stays pending until a later call sends an offset past its update_id.
  const pending = (token, limit) => server.storage.userMessages
    .filter((u) => u.botToken === token && !u.isRead).slice(0, limit).map(TS.formatUpdate);
  bot('getUpdates', async (req, res) => {
    const token = req.params.token;
    const params = { ...req.query, ...req.body };
    const timeout = Math.min(Number(params.timeout || 0), LONG_POLL_CAP_S);
    const limit = Math.min(Number(params.limit || 100), 100);
    const offset = Number(params.offset || 0);
    if (offset) {
      for (const u of server.storage.userMessages) {
        if (u.botToken === token && u.updateId < offset) u.isRead = true;
      }
    }
    let result = pending(token, limit);
    if (!result.length && timeout > 0 && server.started) {
      let gone = false;
      res.on('close', () => { gone = true; });
      await new Promise((resolve) => {
        const done = () => { clearTimeout(timer); server.pollWaiters.delete(done); resolve(); };
        const timer = setTimeout(done, timeout * 1000);
        server.pollWaiters.add(done);
        res.on('close', done);
      });
      if (gone) return;
      result = server.started ? pending(token, limit) : [];
    }
    if (!offset) { // no offset yet: consume on delivery, as stock does
      for (const u of result) {
        const rec = server.storage.userMessages.find((m) => m.updateId === u.update_id && !m.isRead);
        if (rec) rec.isRead = true;
      }
    }
    res.json({ ok: true, result });
  });

  bot(':method', (req, res, next) => {
    if (OK_TRUE.has(req.params.method)) res.json({ ok: true, result: true }); else next();
  });

  client('/sendUpdate', (req, res) => {
    const { botToken, update } = req.body;
    const raw = { ...update };
    const fields = server.getCommonFields(botToken);
    if (raw.update_id !== undefined) {
      fields.updateId = Number(raw.update_id); // a redelivery keeps its id
    } else {
      server.updateId++;
    }
    delete raw.update_id;
    server.storage.userMessages.push({ ...fields, rawUpdate: raw });
    server.emit('AddedRawUpdate');
    res.json({ ok: true, result: null });
  });
  client('/injectError', (req, res) => {
    server.injected.push({ count: 1, ...req.body });
    res.json({ ok: true, result: null });
  });
  client('/getCallLog', (req, res) => {
    const { botToken, method } = req.body;
    res.json({
      ok: true,
      result: server.callLog.filter((e) => e.token === botToken && (!method || e.method === method)),
    });
  });
  client('/getUpload', (req, res) => {
    const f = server.files[req.body.id];
    res.json({ ok: !!f, result: f ? { ...f, data: f.data.toString('base64') } : null });
  });

  // Register, then move these layers in front of the stock routes (right after requestLogger).
  const stack = app._router.stack;
  const before = stack.length;
  for (const [verb, path, handler] of routes) app[verb](path, handler);
  const added = stack.splice(before, stack.length - before);
  const at = stack.findIndex((l) => l.name === 'requestLogger') + 1;
  stack.splice(at, 0, ...added);
}

module.exports = { extend };
