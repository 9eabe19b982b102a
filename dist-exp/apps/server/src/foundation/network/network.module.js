"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.NetworkModule = void 0;
const common_1 = require("@nestjs/common");
const emitter_port_1 = require("./emitter.port");
const socket_emitter_1 = require("./socket.emitter");
let NetworkModule = class NetworkModule {
};
exports.NetworkModule = NetworkModule;
exports.NetworkModule = NetworkModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [socket_emitter_1.SocketEmitter, { provide: emitter_port_1.Emitter, useExisting: socket_emitter_1.SocketEmitter }],
        exports: [socket_emitter_1.SocketEmitter, emitter_port_1.Emitter],
    })
], NetworkModule);
//# sourceMappingURL=network.module.js.map