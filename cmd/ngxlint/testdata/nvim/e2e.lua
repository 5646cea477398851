-- Runs after the config is loaded: wait for the upstream-localhost
-- diagnostic, apply its quick fix through textDocument/codeAction, write
-- the buffer, and report to $NGXLINT_RESULT.
local function run()
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == 'nginx', 'filetype is ' .. vim.bo[buf].filetype)
  local target
  local ok = vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ''
      if line:find('server localhost:3000;', 1, true) then
        target = d
        return true
      end
    end
    return false
  end, 50)
  assert(ok, 'no diagnostic on the server localhost:3000; line')
  local code = target.user_data and target.user_data.lsp and target.user_data.lsp.code
  assert(code == 'upstream-localhost', 'unexpected diagnostic ' .. vim.inspect(target))
  -- As :lua vim.lsp.buf.code_action() does: the cursor on the finding, its
  -- range and the line's diagnostics as context.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf) }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  assert(responses, 'no code action response')
  local action
  for _, resp in pairs(responses) do
    for _, a in ipairs(resp.result or {}) do
      if a.title:find('127.0.0.1', 1, true) then
        action = a
      end
    end
  end
  assert(action, 'no quick fix among ' .. vim.inspect(responses))
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  vim.cmd('write')
end

local ok, err = pcall(run)
local f = io.open(vim.env.NGXLINT_RESULT, 'w')
f:write(ok and 'OK' or tostring(err))
f:close()
vim.cmd('qa!')
