"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RuntimeModule = exports.UuidGenerator = exports.IdGenerator = exports.SystemClock = exports.Clock = void 0;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
/** Time source, injected so that tests and schedulers can control it. */
class Clock {
}
exports.Clock = Clock;
class SystemClock extends Clock {
    now() {
        return Date.now();
    }
}
exports.SystemClock = SystemClock;
/** Id source, injected so that tests can make ids predictable. */
class IdGenerator {
}
exports.IdGenerator = IdGenerator;
class UuidGenerator extends IdGenerator {
    next() {
        return (0, node_crypto_1.randomUUID)();
    }
}
exports.UuidGenerator = UuidGenerator;
let RuntimeModule = class RuntimeModule {
};
exports.RuntimeModule = RuntimeModule;
exports.RuntimeModule = RuntimeModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [
            { provide: Clock, useClass: SystemClock },
            { provide: IdGenerator, useClass: UuidGenerator },
        ],
        exports: [Clock, IdGenerator],
    })
], RuntimeModule);
//# sourceMappingURL=runtime.module.js.map