# Sourced by the infra scripts: exports infra/stack.env's settings, but never over a variable
# already set in the environment (so KAFKA_BROKERS=... infra/kafka/kafka.sh start works).
_stack_env="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/stack.env"
while IFS= read -r _line || [[ -n "$_line" ]]; do
  [[ -z "$_line" || "$_line" == \#* || "$_line" != *=* ]] && continue
  _key="${_line%%=*}"; _value="${_line#*=}"
  [[ -z "${!_key+x}" ]] && export "$_key=$_value"
done <"$_stack_env"
unset _stack_env _line _key _value
