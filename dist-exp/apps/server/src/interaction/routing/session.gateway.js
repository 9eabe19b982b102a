"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SessionGateway = void 0;
const common_1 = require("@nestjs/common");
const websockets_1 = require("@nestjs/websockets");
const protocol_1 = require("../../../../../libs/protocol/src");
const config_service_1 = require("../../foundation/config/config.service");
const api_error_1 = require("../../foundation/http/api-error");
const error_filter_1 = require("../../foundation/http/error.filter");
const emitter_port_1 = require("../../foundation/network/emitter.port");
const rate_limiter_1 = require("../../foundation/network/rate-limiter");
const socket_emitter_1 = require("../../foundation/network/socket.emitter");
const runtime_module_1 = require("../../foundation/runtime/runtime.module");
const token_service_1 = require("../../foundation/security/token.service");
const presence_service_1 = require("../session/presence.service");
const session_reader_1 = require("../session/session-reader");
const session_service_1 = require("../session/session.service");
const team_formation_service_1 = require("../team-formation/team-formation.service");
/** Message routing over socket.io: authenticates, validates, rate-limits, delegates, and answers every event with an ack. */
let SessionGateway = class SessionGateway {
    tokens;
    sessions;
    reader;
    presence;
    teams;
    emitter;
    config;
    logger = new common_1.Logger('gateway');
    limiter;
    constructor(tokens, sessions, reader, presence, teams, emitter, config, clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.reader = reader;
        this.presence = presence;
        this.teams = teams;
        this.emitter = emitter;
        this.config = config;
        const { ratePerS, rateBurst } = config.values.sessions;
        this.limiter = new rate_limiter_1.RateLimiter(ratePerS, rateBurst, () => clock.now());
    }
    afterInit(server) {
        this.emitter.attach(server);
        server.use((socket, next) => {
            const token = socket.handshake.auth?.token;
            if (typeof token !== 'string' || !token)
                return next(socketError(new api_error_1.ApiError(protocol_1.ErrorCode.UNAUTHORIZED, 'auth.token is required')));
            this.tokens.authenticateRaw(token).then((p) => {
                if (p.role === 'enrollment')
                    return next(socketError(new api_error_1.ApiError(protocol_1.ErrorCode.FORBIDDEN, 'enrollment tokens cannot connect')));
                socket.data.principal = p;
                next();
            }, (e) => next(socketError((0, error_filter_1.toApiError)(e))));
        });
    }
    async handleConnection(socket) {
        const p = socket.data.principal;
        socket.on('message', (raw, ack) => this.answer(ack, () => this.onMessage(p, raw)));
        socket.on('subscribe', (req, ack) => void this.onSubscribe(socket, p, req, ack));
        socket.on('unsubscribe', (req, ack) => this.answer(ack, () => this.onUnsubscribe(socket, req)));
        socket.on('invite_reply', (req, ack) => this.answer(ack, async () => this.teams.reply(p, (0, api_error_1.parseDto)(protocol_1.InviteReplyDto, req))));
        if (p.role === 'agent') {
            await socket.join(emitter_port_1.ROOM.agent(p.id));
            await this.presence.connected(p.id);
        }
        this.logger.debug(`connected ${p.role} ${p.id} (${socket.id})`);
    }
    async handleDisconnect(socket) {
        const p = socket.data.principal;
        if (p?.role === 'agent')
            await this.presence.disconnected(p.id);
    }
    async onMessage(p, raw) {
        if (!this.limiter.take(p.id))
            throw new api_error_1.ApiError(protocol_1.ErrorCode.RATE_LIMITED, 'too many messages; slow down');
        const size = Buffer.byteLength(JSON.stringify(raw ?? null));
        if (size > this.config.values.sessions.messageMaxBytes) {
            throw new api_error_1.ApiError(protocol_1.ErrorCode.TOO_LARGE, `message of ${size} bytes exceeds ${this.config.values.sessions.messageMaxBytes}`);
        }
        // team_formation creates a group (or a sub-team) rather than speaking in one: team formation handles it.
        const type = raw?.header?.type;
        return type === 'team_formation' ? this.teams.fromEnvelope(p, raw) : this.sessions.handle(p, raw);
    }
    async onSubscribe(socket, p, req, ack) {
        try {
            const { group_id, after_seq } = (0, api_error_1.parseDto)(protocol_1.SubscribeDto, req);
            await this.reader.subscribe(p, group_id, after_seq ?? 0, {
                join: (rooms) => void socket.join(rooms),
                ack: (result) => ack?.({ ok: true, ...result }),
                send: (envelope) => socket.emit('message', envelope),
            });
        }
        catch (e) {
            ack?.({ ok: false, error: (0, error_filter_1.toApiError)(e).toBody() });
        }
    }
    async onUnsubscribe(socket, req) {
        const { group_id } = (0, api_error_1.parseDto)(protocol_1.UnsubscribeDto, req);
        for (const room of [...socket.rooms])
            if (room === emitter_port_1.ROOM.group(group_id) || room.startsWith(`${emitter_port_1.ROOM.group(group_id)}:`))
                await socket.leave(room);
        return { group_id };
    }
    answer(ack, work) {
        work().then((result) => ack?.({ ok: true, ...result }), (e) => {
            const error = (0, error_filter_1.toApiError)(e);
            if (error.code === protocol_1.ErrorCode.INTERNAL)
                this.logger.error(e instanceof Error ? e.stack : String(e));
            ack?.({ ok: false, error: error.toBody() });
        });
    }
};
exports.SessionGateway = SessionGateway;
exports.SessionGateway = SessionGateway = __decorate([
    (0, websockets_1.WebSocketGateway)(),
    __metadata("design:paramtypes", [token_service_1.TokenService,
        session_service_1.SessionService,
        session_reader_1.SessionReader,
        presence_service_1.PresenceService,
        team_formation_service_1.TeamFormationService,
        socket_emitter_1.SocketEmitter,
        config_service_1.ConfigService,
        runtime_module_1.Clock])
], SessionGateway);
function socketError(e) {
    return Object.assign(new Error(e.message), { data: e.toBody() });
}
//# sourceMappingURL=session.gateway.js.map