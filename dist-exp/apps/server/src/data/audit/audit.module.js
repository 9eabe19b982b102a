"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const admin_audit_interceptor_1 = require("./admin-audit.interceptor");
const audit_log_1 = require("./audit-log");
let AuditModule = class AuditModule {
};
exports.AuditModule = AuditModule;
exports.AuditModule = AuditModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        providers: [audit_log_1.AuditLog, { provide: core_1.APP_INTERCEPTOR, useClass: admin_audit_interceptor_1.AdminAuditInterceptor }],
        exports: [audit_log_1.AuditLog],
    })
], AuditModule);
//# sourceMappingURL=audit.module.js.map