-- A helper module: plugins require it from their folder's lib/.
local M = {}
function M.double(x) return 2 * x end
return M
