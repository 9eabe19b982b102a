"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SocketEmitter = void 0;
const common_1 = require("@nestjs/common");
const emitter_port_1 = require("./emitter.port");
/** The Emitter over socket.io; the gateway attaches the server once it exists. */
let SocketEmitter = class SocketEmitter extends emitter_port_1.Emitter {
    server = null;
    attach(server) {
        this.server = server;
    }
    emit(target, event, ...args) {
        if (!this.server || target.rooms.length === 0)
            return;
        let op = this.server.to(target.rooms);
        if (target.except?.length)
            op = op.except(target.except);
        op.emit(event, ...args);
    }
    /** Closes every socket of an agent, e.g. when it is disabled or deleted. */
    disconnect(room) {
        this.server?.in(room).disconnectSockets(true);
    }
};
exports.SocketEmitter = SocketEmitter;
exports.SocketEmitter = SocketEmitter = __decorate([
    (0, common_1.Injectable)()
], SocketEmitter);
//# sourceMappingURL=socket.emitter.js.map