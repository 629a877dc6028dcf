# Sourced by the infra scripts: exports infra/stack.env's settings, but never over a variable
# already set in the environment (so KAFKA_BROKERS=... infra/kafka/kafka.sh start works).
# AP_DEFAULTED_SETTINGS lists the settings that came from stack.env rather than from the caller,
# so that a script sourcing this again (kafka.sh under start-all.sh) can still tell them apart.
_stack_env="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/stack.env"
_inherited=" ${AP_DEFAULTED_SETTINGS:-} "; _defaulted=""
while IFS= read -r _line || [[ -n "$_line" ]]; do
  [[ -z "$_line" || "$_line" == \#* || "$_line" != *=* ]] && continue
  _key="${_line%%=*}"; _value="${_line#*=}"
  if [[ -z "${!_key+x}" ]]; then export "$_key=$_value"; _defaulted+="$_key "
  # Defaulted by a parent script and not changed since.
  elif [[ "$_inherited" == *" $_key "* && "${!_key}" == "$_value" ]]; then _defaulted+="$_key "; fi
done <"$_stack_env"
export AP_DEFAULTED_SETTINGS="$(echo $_defaulted)"
unset _stack_env _line _key _value _defaulted _inherited
