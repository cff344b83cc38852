#!/usr/bin/env node
// Start telegram-test-api on loopback for Konsilo's Telegram tests (tests/telegram/emulator.py).
//
//   node start_emulator.js [--port 0] [--host 127.0.0.1] [--store-timeout 3600] [--extend] [--no-stdin]
//
// Prints one line `READY {"port":..,"apiURL":..,"ms":..,"extended":..}` on stdout once it
// listens (port 0: the OS chooses; the chosen port is printed). It stops cleanly on SIGTERM,
// SIGINT, or when its stdin closes, so a test process that dies takes the emulator with it.
// --extend  loads extend_emulator.js (the fixes and routes the tests need; see its header).
//           Without it this is the stock emulator, exactly as published on npm.
'use strict';
const t0 = process.hrtime.bigint();
const TelegramServer = require('telegram-test-api');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const host = arg('--host', '127.0.0.1');
const port = Number(arg('--port', '0'));
const storeTimeout = Number(arg('--store-timeout', '3600'));
const extend = process.argv.includes('--extend');
const watchStdin = !process.argv.includes('--no-stdin');

// The client routes call async methods without awaiting them, so a malformed client request
// (/sendCommand without "entities", any client call without "botToken") is an unhandled
// rejection, which ends Node >= 15 and with it the whole emulator. Keep it alive and say so.
process.on('unhandledRejection', (e) => {
  process.stderr.write(`emulator: rejected client request: ${(e && e.message) || e}\n`);
});

async function main() {
  const server = new TelegramServer({ host, port, storeTimeout });
  // normalizeConfig does `config.port || 9000`, so port 0 would silently become 9000:
  // set it after construction so start() listens on a port the OS chooses.
  server.config.port = port;
  if (extend) require('./extend_emulator').extend(server);
  await server.start();
  const realPort = server.server.address().port;
  server.config.port = realPort;
  server.config.apiURL = `http://${host}:${realPort}`;
  const ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  process.stdout.write(
    `READY ${JSON.stringify({ port: realPort, apiURL: server.config.apiURL, ms, extended: extend })}\n`,
  );

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    const s0 = Date.now();
    await server.stop(); // http-shutdown: closes idle keep-alive sockets, waits for the rest
    process.stderr.write(`emulator stopped (${why}) in ${Date.now() - s0} ms\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (watchStdin) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.resume();
  }
}

main().catch((e) => {
  process.stderr.write(`emulator failed: ${(e && e.stack) || e}\n`);
  process.exit(1);
});
