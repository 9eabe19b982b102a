"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.teamQuality = teamQuality;
const goals_json_1 = __importDefault(require("../../test/fixtures/goals.json"));
/**
 * Precision and recall of the team chosen for each goal of the frozen test split against its expected team, choosing
 * as team formation does: each need's best candidate not already chosen for an earlier need.
 */
async function teamQuality(retrieval, use) {
    let chosenRight = 0;
    let chosen = 0;
    let expected = 0;
    let exact = 0;
    for (const g of goals_json_1.default.test) {
        const team = [];
        for (const need of g.needs) {
            const pick = (await retrieval.rank(need, use)).find((name) => !team.includes(name));
            if (pick)
                team.push(pick);
        }
        const right = team.filter((name) => g.expected_team.includes(name)).length;
        chosenRight += right;
        chosen += team.length;
        expected += g.expected_team.length;
        if (right === g.expected_team.length && team.length === right)
            exact++;
    }
    const r = (x) => Math.round(x * 1000) / 1000;
    return { precision: r(chosenRight / chosen), recall: r(chosenRight / expected), exact_teams: r(exact / goals_json_1.default.test.length) };
}
//# sourceMappingURL=team-quality.js.map