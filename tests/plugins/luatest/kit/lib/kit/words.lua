local M = {}

function M.norm(s)
  return lede.fold(s)
end

return M
