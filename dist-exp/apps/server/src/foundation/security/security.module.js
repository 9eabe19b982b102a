"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SecurityModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const jwt_1 = require("@nestjs/jwt");
const passport_1 = require("@nestjs/passport");
const typeorm_1 = require("@nestjs/typeorm");
const config_service_1 = require("../config/config.service");
const auth_controller_1 = require("./auth.controller");
const auth_guard_1 = require("./auth.guard");
const jwt_strategy_1 = require("./jwt.strategy");
const secrets_1 = require("./secrets");
const token_entity_1 = require("./token.entity");
const token_service_1 = require("./token.service");
let SecurityModule = class SecurityModule {
};
exports.SecurityModule = SecurityModule;
exports.SecurityModule = SecurityModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        imports: [
            passport_1.PassportModule,
            typeorm_1.TypeOrmModule.forFeature([token_entity_1.TokenEntity]),
            jwt_1.JwtModule.registerAsync({
                inject: [token_service_1.SECRETS],
                extraProviders: [{ provide: token_service_1.SECRETS, inject: [config_service_1.ConfigService], useFactory: (c) => (0, secrets_1.loadSecrets)(c.values) }],
                useFactory: (secrets) => ({ secret: secrets.jwtKey, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
            }),
        ],
        controllers: [auth_controller_1.AuthController],
        providers: [
            { provide: token_service_1.SECRETS, inject: [config_service_1.ConfigService], useFactory: (c) => (0, secrets_1.loadSecrets)(c.values) },
            token_service_1.TokenService,
            jwt_strategy_1.JwtStrategy,
            { provide: core_1.APP_GUARD, useClass: auth_guard_1.AuthGuard },
        ],
        exports: [token_service_1.TokenService, token_service_1.SECRETS],
    })
], SecurityModule);
//# sourceMappingURL=security.module.js.map