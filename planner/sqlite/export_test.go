package sqlite

// OlderPlan exposes olderPlan, the error of OpenReadOnly for a plan of an
// older schema version than the current one, to test its message.
var OlderPlan = olderPlan
