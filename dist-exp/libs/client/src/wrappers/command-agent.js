"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TRUNCATED_MARKER = void 0;
exports.commandAgent = commandAgent;
const node_child_process_1 = require("node:child_process");
const node_string_decoder_1 = require("node:string_decoder");
const protocol_1 = require("../../../protocol/src");
const outcome_1 = require("./outcome");
const STDERR_TAIL = 2048;
const LINE_MAX = 1000;
exports.TRUNCATED_MARKER = '[output truncated]';
/**
 * An agent whose tasks are done by a command-line program: each task runs `command ...args <task text>` without a
 * shell (the task text is one argument, so it cannot inject anything), stdout lines become progress reports, and the
 * exit code settles the task (0: completed with stdout as the conclusion; otherwise failed with the stderr tail).
 * @example
 * runAgent(client, commandAgent({ card, command: 'wc', args: ['-w'], timeoutMs: 10_000 }));
 */
function commandAgent(options) {
    return {
        card: options.card,
        onTurn: options.onTurn ?? (() => null),
        onTask: (task, report) => runTask(options, task, report),
    };
}
function runTask(o, task, report) {
    const timeoutMs = o.timeoutMs ?? 60_000;
    const maxBytes = o.maxOutputBytes ?? protocol_1.ENVELOPE_LIMITS.textMax - exports.TRUNCATED_MARKER.length - 1;
    const progress = throttledProgress(report, o.progressIntervalMs ?? 200);
    return new Promise((resolve) => {
        // Its own process group (detached), so that a timeout can kill everything it started, not just the child.
        const child = (0, node_child_process_1.spawn)(o.command, [...(o.args ?? []), (0, outcome_1.taskText)(task)], {
            shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], cwd: o.cwd, env: o.env ?? process.env,
        });
        const out = [];
        let kept = 0;
        let truncated = false;
        let stderr = '';
        let partial = '';
        let timedOut = false;
        const decoder = new node_string_decoder_1.StringDecoder('utf8');
        const timer = setTimeout(() => {
            timedOut = true;
            killTree(child.pid, () => child.kill('SIGKILL'));
        }, timeoutMs);
        // Stdout is always drained (so the child never blocks on a full pipe); only the first maxBytes are kept.
        child.stdout.on('data', (chunk) => {
            const take = chunk.subarray(0, Math.max(0, maxBytes - kept));
            if (take.length)
                out.push(take);
            kept += take.length;
            if (take.length < chunk.length)
                truncated = true;
            const lines = (partial + decoder.write(chunk)).split('\n');
            partial = (0, outcome_1.clip)(lines.pop() ?? '', LINE_MAX);
            for (const line of lines)
                if (line.trim())
                    progress.line(line);
        });
        child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)));
        let settled = false;
        const finish = (result) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            void progress.flush().then(() => resolve(result));
        };
        child.once('error', (e) => finish((0, outcome_1.outcome)('failed', `could not run ${o.command}: ${e.message}`)));
        child.once('close', (code, signal) => {
            const stdout = Buffer.concat(out).toString('utf8') + (truncated ? `\n${exports.TRUNCATED_MARKER}` : '');
            if (timedOut)
                return finish((0, outcome_1.outcome)('failed', `timed out after ${timeoutMs} ms${tail(stderr)}`, `timed out after ${timeoutMs} ms`));
            if (code === 0)
                return finish((0, outcome_1.outcome)('completed', stdout, (0, outcome_1.firstLine)(stdout) || `${o.command} finished`));
            const why = code === null ? `killed by ${signal}` : `exited with code ${code}`;
            finish((0, outcome_1.outcome)('failed', `${o.command} ${why}${tail(stderr)}`, `${why}: ${(0, outcome_1.firstLine)(stderr.split('\n').slice(-3).join('\n'))}`));
        });
    });
}
const tail = (stderr) => (stderr.trim() ? `\n--- stderr (tail) ---\n${stderr.trim()}` : '');
function killTree(pid, fallback) {
    try {
        if (pid && process.platform !== 'win32')
            process.kill(-pid, 'SIGKILL');
        else
            fallback();
    }
    catch {
        fallback();
    }
}
/**
 * Progress from output lines, at most one report per `intervalMs` (the latest line wins), rising toward 0.9 so that
 * the final result, not a progress report, says "done".
 */
function throttledProgress(report, intervalMs) {
    let sent = 0;
    let lastAt = 0;
    let latest = null;
    let timer;
    let chain = Promise.resolve();
    const send = () => {
        timer = undefined;
        if (latest === null)
            return;
        const note = (0, outcome_1.clip)(latest, protocol_1.ENVELOPE_LIMITS.abstractMax);
        latest = null;
        lastAt = Date.now();
        sent++;
        const value = Math.round((0.9 * sent) / (sent + 4) * 1000) / 1000;
        // A lost progress report must not fail the task.
        chain = chain.then(() => report.progress(value, note)).catch(() => undefined);
    };
    return {
        line(line) {
            latest = line;
            if (timer)
                return;
            const wait = lastAt + intervalMs - Date.now();
            if (wait <= 0)
                send();
            else
                timer = setTimeout(send, wait);
        },
        flush() {
            if (timer)
                clearTimeout(timer);
            timer = undefined;
            return chain;
        },
    };
}
//# sourceMappingURL=command-agent.js.map